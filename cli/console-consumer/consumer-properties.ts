/**
 * Kafka consumer properties (`max.partition.fetch.bytes`, `fetch.max.wait.ms`, ...) turned into
 * the client's KafkaJS-shaped configuration, for kafka-console-consumer and
 * kafka-consumer-perf-test, with ConfigDef's messages for bad values. group.id and the
 * commit settings are accepted and ignored (consumer groups come later); other unknown keys
 * are warnings, as Kafka logs them.
 */
import type { ConsumerConfig, KafkaConfig } from '../../client/index.js';
import { bootstrapServers } from '../common/client-config.js';
import { ToolConfigError } from '../common/tool-errors.js';

export interface ConsumerSettings {
  readonly kafka: KafkaConfig;
  readonly consumer: ConsumerConfig;
  readonly warnings: readonly string[];
}

const INT_KEYS = {
  'max.partition.fetch.bytes': 'maxBytesPerPartition',
  'fetch.max.bytes': 'maxBytes',
  'fetch.min.bytes': 'minBytes',
  'fetch.max.wait.ms': 'maxWaitTimeInMs',
  'metadata.max.age.ms': 'metadataMaxAge',
} as const;
const CLIENT_INT_KEYS = ['request.timeout.ms', 'retry.backoff.ms', 'retry.backoff.max.ms',
  'socket.connection.setup.timeout.ms'] as const;
const IGNORED_KEYS = new Set(['group.id', 'enable.auto.commit', 'auto.commit.interval.ms',
  'key.deserializer', 'value.deserializer', 'isolation.level', 'receive.buffer.bytes',
  'send.buffer.bytes', 'session.timeout.ms', 'heartbeat.interval.ms', 'max.poll.records',
  'max.poll.interval.ms', 'check.crcs', 'security.protocol', 'client.dns.lookup',
  'connections.max.idle.ms', 'default.api.timeout.ms', 'group.instance.id',
  'partition.assignment.strategy', 'allow.auto.create.topics', 'exclude.internal.topics']);

function intValue(key: string, raw: string): number {
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value) || Math.abs(Number(value)) > 2_147_483_647) {
    throw new ToolConfigError(`Invalid value ${value} for configuration ${key}: Not a number ` +
      'of type INT');
  }
  if (Number(value) < 0) {
    throw new ToolConfigError(`Invalid value ${value} for configuration ${key}: Value must be ` +
      'at least 0');
  }
  return Number(value);
}

/** `overrides` (the tool's own options) win over `properties`. */
export function consumerSettings(properties: ReadonlyMap<string, string>, options: {
  readonly bootstrap: string;
  readonly clientId: string;
  readonly overrides?: ConsumerConfig;
}): ConsumerSettings {
  const warnings: string[] = [];
  const consumer: Record<string, unknown> = {};
  const client = new Map<string, number>();
  for (const [key, value] of properties) {
    if (key in INT_KEYS) {
      const name = INT_KEYS[key as keyof typeof INT_KEYS];
      const number = intValue(key, value);
      consumer[name] = name === 'maxBytesPerPartition' || name === 'maxBytes'
        ? Math.max(1, number) : number;
    } else if ((CLIENT_INT_KEYS as readonly string[]).includes(key)) {
      client.set(key, intValue(key, value));
    } else if (key === 'auto.offset.reset') {
      const reset = value.trim().toLowerCase();
      if (reset !== 'earliest' && reset !== 'latest') {
        throw new ToolConfigError(`Invalid value ${value} for configuration auto.offset.reset: ` +
          'String must be one of: latest, earliest');
      }
      consumer['autoOffsetReset'] = reset;
    } else if (key !== 'bootstrap.servers' && key !== 'client.id' && !IGNORED_KEYS.has(key)) {
      warnings.push(`The configuration '${key}' was supplied but isn't a known config.`);
    }
  }
  const initialRetryTime = client.get('retry.backoff.ms') ?? 100;
  return {
    warnings,
    kafka: {
      clientId: properties.get('client.id')?.trim() ?? options.clientId,
      brokers: bootstrapServers(options.bootstrap),
      connectionTimeout: Math.max(1, client.get('socket.connection.setup.timeout.ms') ?? 10_000),
      requestTimeout: Math.max(1, client.get('request.timeout.ms') ?? 30_000),
      retry: {
        initialRetryTime,
        maxRetryTime: Math.max(client.get('retry.backoff.max.ms') ?? 1_000, initialRetryTime),
      },
    },
    consumer: { ...consumer, ...options.overrides } as ConsumerConfig,
  };
}
