/**
 * Reads a server.properties file from disk and validates it, throwing ConfigError with every
 * problem found. Warnings (unknown keys, repeated keys) do not fail the load; Kafka logs them
 * and carries on, and so do we by returning them to the caller to print.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { osReason } from './fs-errors.js';
import { parseProperties } from './properties.js';
import { buildServerConfig, type ServerConfig } from './server-config.js';

export interface LoadedServerConfig {
  readonly config: ServerConfig;
  readonly warnings: string[];
}

export function loadServerConfig(
  path: string,
  overrides: readonly string[] = [],
): LoadedServerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the configuration file: ${osReason(error)}`]);
  }
  const parsed = parseProperties(text);
  const result = buildServerConfig({
    fileName: path,
    entries: parsed.entries,
    parseErrors: parsed.errors,
    overrides,
  });
  if (!result.ok) throw new ConfigError(result.errors, result.warnings);
  return { config: result.config, warnings: [...result.warnings] };
}
