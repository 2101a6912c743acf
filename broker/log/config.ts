/**
 * The settings of one partition log, with Kafka's broker defaults (log.segment.bytes,
 * log.roll.ms, log.retention.ms/bytes, log.index.interval.bytes, log.flush.interval.*,
 * message.max.bytes). Resolving them from server.properties and topic configs is config/'s job;
 * this file only names the values the log needs and checks how they relate.
 */
import { assert } from '../../lib/assert.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PartitionLogConfig {
  /** log.segment.bytes: roll when the active segment would grow past this. */
  readonly segmentBytes: number;
  /** log.roll.ms: roll when the active segment's data spans more than this. */
  readonly segmentMs: number;
  /** log.retention.ms: -1 keeps segments forever. */
  readonly retentionMs: number;
  /** log.retention.bytes: -1 means no size limit. */
  readonly retentionBytes: number;
  /** log.index.interval.bytes: bytes of batches between two sparse index entries. */
  readonly indexIntervalBytes: number;
  /** log.flush.interval.messages: fsync after this many offsets; 1 = durable on return. */
  readonly flushIntervalMessages: number;
  /** log.flush.interval.ms: fsync when the last flush is older than this. */
  readonly flushIntervalMs: number;
  /** message.max.bytes: the largest batch (LOG_OVERHEAD included) a producer may send. */
  readonly maxMessageBytes: number;
}

export const DEFAULT_PARTITION_LOG_CONFIG: PartitionLogConfig = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  indexIntervalBytes: 4096,
  // Kafka's Long.MAX_VALUE, saturated to what a JS number holds exactly: never flush by count.
  flushIntervalMessages: Number.MAX_SAFE_INTEGER,
  flushIntervalMs: Number.MAX_SAFE_INTEGER,
  maxMessageBytes: 1048588,
});

/** Positions are int32 in the index files (as in Kafka): a segment stays below 2 GiB. */
export const SEGMENT_BYTES_MAX = 0x7fffffff;

/** Fills in defaults and checks the relations between the values; a bad config is a bug here. */
export function resolvePartitionLogConfig(
  config: Partial<PartitionLogConfig> = {},
): PartitionLogConfig {
  const resolved = { ...DEFAULT_PARTITION_LOG_CONFIG, ...config };
  const positive = (name: keyof PartitionLogConfig) =>
    assert(
      Number.isSafeInteger(resolved[name]) && resolved[name] > 0,
      `${name} must be a positive integer, got ${resolved[name]}`,
    );
  positive('segmentBytes');
  positive('segmentMs');
  positive('indexIntervalBytes');
  positive('flushIntervalMessages');
  positive('flushIntervalMs');
  positive('maxMessageBytes');
  assert(resolved.segmentBytes <= SEGMENT_BYTES_MAX, `segmentBytes over ${SEGMENT_BYTES_MAX}`);
  for (const name of ['retentionMs', 'retentionBytes'] as const) {
    const value = resolved[name];
    assert(
      Number.isSafeInteger(value) && (value >= 0 || value === -1),
      `${name} must be -1 or at least 0, got ${value}`,
    );
  }
  return resolved;
}
