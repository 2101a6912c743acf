/**
 * The admin client configuration of the tools, built the way Kafka's tools build theirs: the
 * --command-config properties file, then --bootstrap-server on top (bootstrap.servers). Kafka's
 * AdminClient keys map onto the KafkaJS-shaped client; an unknown key is a warning, as in Kafka.
 */
import type { KafkaConfig } from '../../client/index.js';
import { parseBrokerAddress } from '../../client/index.js';
import { readPropertiesFile } from './properties-file.js';
import { ToolConfigError } from './tool-errors.js';

const INT_KEYS = {
  'request.timeout.ms': 'requestTimeout',
  'socket.connection.setup.timeout.ms': 'connectionTimeout',
  'retries': 'retries',
  'retry.backoff.ms': 'initialRetryTime',
  'retry.backoff.max.ms': 'maxRetryTime',
} as const;
/** Keys accepted and ignored: meaningful to Kafka's client, with no counterpart here yet. */
const IGNORED_KEYS = new Set(['default.api.timeout.ms', 'security.protocol', 'client.dns.lookup',
  'metadata.max.age.ms', 'connections.max.idle.ms']);

export interface ToolClientConfig {
  readonly config: KafkaConfig;
  readonly warnings: readonly string[];
}

export async function toolClientConfig(options: {
  readonly clientId: string;
  readonly bootstrap: string;
  readonly commandConfig?: string | undefined;
}): Promise<ToolClientConfig> {
  const properties = options.commandConfig === undefined ? new Map<string, string>()
    : await readPropertiesFile(options.commandConfig);
  const warnings: string[] = [];
  const numbers: Partial<Record<(typeof INT_KEYS)[keyof typeof INT_KEYS], number>> = {};
  for (const [key, raw] of properties) {
    const value = raw.trim();
    if (key in INT_KEYS) {
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 0) {
        throw new ToolConfigError(
          `Invalid value ${value} for configuration ${key}: Not a number of type INT`);
      }
      numbers[INT_KEYS[key as keyof typeof INT_KEYS]] = Number(value);
    } else if (key !== 'bootstrap.servers' && key !== 'client.id' && !IGNORED_KEYS.has(key)) {
      warnings.push(`The configuration '${key}' was supplied but isn't a known config.`);
    }
  }
  return {
    warnings,
    config: {
      clientId: properties.get('client.id')?.trim() ?? options.clientId,
      brokers: bootstrapServers(options.bootstrap),
      // Kafka's AdminClient defaults, where they differ from KafkaJS's.
      connectionTimeout: numbers.connectionTimeout ?? 10_000,
      requestTimeout: numbers.requestTimeout ?? 30_000,
      retry: {
        retries: Math.min(numbers.retries ?? 5, 1_000),
        initialRetryTime: numbers.initialRetryTime ?? 100,
        maxRetryTime: Math.max(numbers.maxRetryTime ?? 1_000, numbers.initialRetryTime ?? 100),
      },
    },
  };
}


/** A comma-separated host:port list, with Kafka's ClientUtils messages for bad entries. */
export function bootstrapServers(list: string): string[] {
  const entries = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) {
    throw new ToolConfigError('No resolvable bootstrap urls given in bootstrap.servers');
  }
  for (const entry of entries) {
    if (parseBrokerAddress(entry) === undefined) {
      throw new ToolConfigError(`Invalid url in bootstrap.servers: ${entry}`);
    }
  }
  return entries;
}
