/**
 * Turns the entries of a server.properties file, plus `key=value` overrides, into a typed
 * ServerConfig, or into the complete list of what is wrong. Every message says where the value
 * came from: `<file>:<line>: <key>: ...` for a file entry, `--override: <key>: ...` for an
 * override, and `<file>: <key>[, <key>...]: ...` for a relation between keys or a missing key.
 */
import type { PropertyEntry, PropertyError } from './properties.js';
import { deriveConfig, type DerivedConfig } from './server-derived.js';
import {
  isServerKey,
  type ServerKey,
  type ServerKeyValues,
  serverKeySchemas,
} from './server-keys.js';
import { checkRules, type RuleFailure } from './server-rules.js';

/** The parsed configuration: Kafka's dotted keys with typed values, plus derived fields. */
export type ServerConfig = Readonly<ServerKeyValues> & DerivedConfig;

export type ServerConfigResult =
  | { readonly ok: true; readonly config: ServerConfig; readonly warnings: readonly string[] }
  | {
    readonly ok: false;
    readonly errors: readonly string[];
    readonly warnings: readonly string[];
  };

export interface ServerConfigInput {
  /** How messages name the file: the path as the user gave it. */
  readonly fileName: string;
  readonly entries: readonly PropertyEntry[];
  /** Errors from parsing the file itself, reported first. */
  readonly parseErrors?: readonly PropertyError[];
  /** `key=value` strings applied on top of the file, as from `--override`. */
  readonly overrides?: readonly string[];
}

const OVERRIDE = '--override';

type Origin = { readonly line: number } | typeof OVERRIDE;

interface RawValue {
  readonly value: string;
  readonly origin: Origin;
}

export function buildServerConfig(input: ServerConfigInput): ServerConfigResult {
  const { fileName } = input;
  const errors = (input.parseErrors ?? []).map((e) => `${fileName}:${e.line}: ${e.message}`);
  const warnings: string[] = [];
  const raw = collectRawValues(input, errors, warnings);
  const where = (origin: Origin | undefined): string =>
    origin === undefined ? fileName : origin === OVERRIDE ? OVERRIDE : `${fileName}:${origin.line}`;

  const values: Record<string, unknown> = {};
  const failedKeys = new Set<string>();
  const keyErrors: { order: number; message: string }[] = [];
  for (const [key, schema] of Object.entries(serverKeySchemas)) {
    const given = raw.get(key);
    const result = schema.safeParse(given?.value);
    if (result.success) {
      values[key] = result.data;
      continue;
    }
    failedKeys.add(key);
    values[key] = schema.parse(undefined);
    // File lines first, in order, then overrides.
    const order = given?.origin === OVERRIDE ? Infinity : (given?.origin.line ?? Infinity);
    for (const issue of result.error.issues) {
      keyErrors.push({ order, message: `${where(given?.origin)}: ${key}: ${issue.message}` });
    }
  }
  keyErrors.sort((a, b) => a.order - b.order);
  errors.push(...keyErrors.map((e) => e.message));
  const keyValues = values as ServerKeyValues;
  const isSet = (key: ServerKey): boolean => raw.has(key);
  const config: ServerConfig = { ...keyValues, ...deriveConfig(keyValues, isSet) };
  for (const failure of checkRules(config, isSet, failedKeys)) {
    errors.push(formatRuleFailure(failure, (key) => raw.get(key)?.origin, fileName));
  }
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, config, warnings };
}

/** The last value of each key, file first and overrides on top; warns about unknown keys. */
function collectRawValues(
  input: ServerConfigInput,
  errors: string[],
  warnings: string[],
): Map<string, RawValue> {
  const raw = new Map<string, RawValue>();
  for (const entry of input.entries) {
    const previous = raw.get(entry.key);
    if (previous !== undefined && previous.origin !== OVERRIDE) {
      warnings.push(`${input.fileName}:${entry.line}: ${entry.key}: set again (first on line ` +
        `${previous.origin.line}); the last value wins`);
    }
    if (!isServerKey(entry.key)) {
      warnings.push(`${input.fileName}:${entry.line}: The configuration '${entry.key}' was ` +
        "supplied but isn't a known config.");
    }
    raw.set(entry.key, { value: entry.value, origin: { line: entry.line } });
  }
  for (const override of input.overrides ?? []) {
    const equals = override.indexOf('=');
    const key = equals > 0 ? override.slice(0, equals).trim() : '';
    if (key === '') {
      errors.push(`${OVERRIDE}: '${override}' is not key=value`);
      continue;
    }
    if (!isServerKey(key)) {
      warnings.push(`${OVERRIDE}: The configuration '${key}' was supplied but isn't a known ` +
        'config.');
    }
    raw.set(key, { value: override.slice(equals + 1), origin: OVERRIDE });
  }
  return raw;
}

function formatRuleFailure(
  failure: RuleFailure,
  originOf: (key: string) => Origin | undefined,
  fileName: string,
): string {
  const origins = failure.keys.map(originOf).filter((o) => o !== undefined);
  let where = fileName;
  if (failure.keys.length === 1 && origins[0] !== undefined) {
    where = origins[0] === OVERRIDE ? OVERRIDE : `${fileName}:${origins[0].line}`;
  } else if (origins.length > 0 && origins.every((origin) => origin === OVERRIDE)) {
    where = OVERRIDE;
  }
  return `${where}: ${failure.keys.join(', ')}: ${failure.message}`;
}
