/**
 * Kafka producer properties (`acks`, `linger.ms`, `batch.size`, ...) turned into the client's
 * KafkaJS-shaped configuration, for kafka-console-producer and kafka-producer-perf-test. Values
 * are checked with the messages of Kafka's ConfigDef (`Invalid value x for configuration y: ...`);
 * an unknown key is a warning, as Kafka logs one. Also the `k=v` argument parsing the tools share
 * (Kafka's CommandLineUtils.parseKeyValueArgs) and properties files (`--producer.config`).
 */
import type { Acks, CompressionType, KafkaConfig, ProducerConfig } from '../../client/index.js';
import { CompressionTypes } from '../../client/index.js';
import { bootstrapServers } from './client-config.js';
import { ToolConfigError } from './tool-errors.js';

/** What one send() needs besides the records. */
export interface SendSettings {
  readonly acks: Acks;
  /** How long the leader may wait for the in-sync replicas (request.timeout.ms). */
  readonly timeout: number;
  readonly compression: CompressionType;
}

export interface ProducerSettings {
  readonly kafka: KafkaConfig;
  readonly producer: ProducerConfig;
  readonly send: SendSettings;
  readonly warnings: readonly string[];
}

/** Keys with a Java type of INT or LONG, and their lower bounds (ConfigDef's atLeast). */
const NUMBER_KEYS: Readonly<Record<string, { type: 'INT' | 'LONG'; min: number }>> = {
  'linger.ms': { type: 'LONG', min: 0 },
  'batch.size': { type: 'INT', min: 0 },
  'request.timeout.ms': { type: 'INT', min: 0 },
  'retries': { type: 'INT', min: 0 },
  'retry.backoff.ms': { type: 'LONG', min: 0 },
  'retry.backoff.max.ms': { type: 'LONG', min: 0 },
  'max.in.flight.requests.per.connection': { type: 'INT', min: 1 },
  'buffer.memory': { type: 'LONG', min: 0 },
  'max.request.size': { type: 'INT', min: 0 },
  'metadata.max.age.ms': { type: 'LONG', min: 0 },
  'socket.connection.setup.timeout.ms': { type: 'LONG', min: 0 },
};

/** Kafka producer keys accepted without effect: no counterpart in this client (yet). */
const IGNORED_KEYS = new Set(['key.serializer', 'value.serializer', 'max.block.ms',
  'delivery.timeout.ms', 'send.buffer.bytes', 'receive.buffer.bytes', 'security.protocol',
  'client.dns.lookup', 'connections.max.idle.ms', 'partitioner.class', 'linger.ms.max',
  'enable.idempotence']);

const ACKS: Readonly<Record<string, Acks>> = { 'all': -1, '-1': -1, '0': 0, '1': 1 };

function invalid(key: string, value: string, why: string): ToolConfigError {
  return new ToolConfigError(`Invalid value ${value} for configuration ${key}: ${why}`);
}

function numberOf(key: string, raw: string): number {
  const spec = NUMBER_KEYS[key]!;
  const value = raw.trim();
  const parsed = Number(value);
  const max = spec.type === 'INT' ? 2_147_483_647 : Number.MAX_SAFE_INTEGER;
  if (!/^[+-]?\d+$/.test(value) || Math.abs(parsed) > max) {
    throw invalid(key, value, `Not a number of type ${spec.type}`);
  }
  if (parsed < spec.min) throw invalid(key, value, `Value must be at least ${spec.min}`);
  return parsed;
}

/** acks as Kafka's producer accepts it: all, -1, 0 or 1. */
export function parseAcks(raw: string, key = 'acks'): Acks {
  const acks = ACKS[raw.trim().toLowerCase()];
  if (acks === undefined) throw invalid(key, raw, 'String must be one of: all, -1, 0, 1');
  return acks;
}

/** compression.type: none and gzip are built in; Kafka's other codecs are refused by name. */
export function parseCompression(raw: string, key = 'compression.type'): CompressionType {
  const name = raw.trim().toLowerCase();
  if (name === 'none') return CompressionTypes.None;
  if (name === 'gzip') return CompressionTypes.GZIP;
  if (['snappy', 'lz4', 'zstd'].includes(name)) {
    throw new ToolConfigError(`Compression codec ${name} is not supported (only none and gzip ` +
      'are built in)');
  }
  throw invalid(key, raw, 'String must be one of: none, gzip, snappy, lz4, zstd');
}

/**
 * The client configuration for `properties` (bootstrap.servers is required, as Kafka's
 * producer requires it). `clientId` applies when client.id is not set.
 */
export function producerSettings(properties: ReadonlyMap<string, string>,
  clientId: string): ProducerSettings {
  const warnings: string[] = [];
  const numbers = new Map<string, number>();
  for (const [key, value] of properties) {
    if (key in NUMBER_KEYS) numbers.set(key, numberOf(key, value));
    else if (!['bootstrap.servers', 'client.id', 'acks', 'compression.type'].includes(key) &&
      !IGNORED_KEYS.has(key)) {
      warnings.push(`The configuration '${key}' was supplied but isn't a known config.`);
    }
  }
  if (properties.get('enable.idempotence')?.trim().toLowerCase() === 'true') {
    warnings.push('enable.idempotence=true is not supported yet: the producer is not idempotent.');
  }
  const bootstrap = properties.get('bootstrap.servers');
  if (bootstrap === undefined) {
    throw new ToolConfigError(
      'Missing required configuration "bootstrap.servers" which has no default value.');
  }
  const requestTimeoutMs = numbers.get('request.timeout.ms') ?? 30_000;
  const initialRetryTime = numbers.get('retry.backoff.ms') ?? 100;
  const producer: ProducerConfig = {
    acks: parseAcks(properties.get('acks') ?? 'all'),
    ...optional('lingerMs', numbers.get('linger.ms')),
    // batch.size=0 turns batching off in Kafka; here a batch of one record comes closest.
    ...optional('batchSizeBytes', clampOptional(numbers.get('batch.size'), 1)),
    ...optional('maxInFlightRequests', numbers.get('max.in.flight.requests.per.connection')),
    ...optional('maxBufferedBytes', clampOptional(numbers.get('buffer.memory'), 1)),
    ...optional('maxRequestBytes', clampOptional(numbers.get('max.request.size'), 1)),
    ...optional('metadataMaxAge', numbers.get('metadata.max.age.ms')),
  };
  return {
    warnings,
    kafka: {
      clientId: properties.get('client.id')?.trim() ?? clientId,
      brokers: bootstrapServers(bootstrap),
      connectionTimeout: Math.max(1, numbers.get('socket.connection.setup.timeout.ms') ?? 10_000),
      requestTimeout: Math.max(1, requestTimeoutMs),
      retry: {
        retries: Math.min(numbers.get('retries') ?? 5, 1_000),
        initialRetryTime,
        maxRetryTime: Math.max(numbers.get('retry.backoff.max.ms') ?? 1_000, initialRetryTime),
      },
    },
    producer,
    send: {
      acks: producer.acks ?? -1,
      timeout: requestTimeoutMs,
      compression: parseCompression(properties.get('compression.type') ?? 'none'),
    },
  };
}

function optional<K extends string>(key: K, value: number | undefined):
  Partial<Record<K, number>> {
  return value === undefined ? {} : { [key]: value } as Record<K, number>;
}

function clampOptional(value: number | undefined, min: number): number | undefined {
  return value === undefined ? undefined : Math.max(min, value);
}

/**
 * `k=v` arguments as Kafka's CommandLineUtils.parseKeyValueArgs reads them: split at the first
 * `=`; a missing value is the empty string.
 */
export function parseKeyValueArgs(args: readonly string[]): Map<string, string> {
  const properties = new Map<string, string>();
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at < 0) properties.set(arg, '');
    else properties.set(arg.slice(0, at), arg.slice(at + 1));
  }
  return properties;
}
