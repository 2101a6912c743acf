/**
 * The per-topic settings the data plane needs, resolved as Kafka's LogConfig does: the topic's
 * override from the metadata image, else the broker default (topic-config-defaults.ts). The
 * log settings are read when a log opens; min.insync.replicas, max.message.bytes and
 * message.timestamp.type are read per request, so that a config change applies at once.
 */
import { topicConfigs, type MetadataImage } from '../../metadata/index.js';
import { DEFAULT_PARTITION_LOG_CONFIG, type PartitionLogConfig } from '../log/index.js';

/** Positions are int32 in the index files; see broker/log/config.ts. */
const SEGMENT_BYTES_MAX = 0x7fffffff;

export interface TopicSettings {
  readonly minInSyncReplicas: number;
  readonly maxMessageBytes: number;
  readonly logAppendTime: boolean;
}

export class TopicSettingsReader {
  constructor(
    private readonly image: () => MetadataImage,
    private readonly defaults: ReadonlyMap<string, string>,
  ) {}

  #value(overrides: ReadonlyMap<string, string>, name: string): string | undefined {
    return overrides.get(name) ?? this.defaults.get(name);
  }

  #number(overrides: ReadonlyMap<string, string>, name: string, fallback: number): number {
    const text = this.#value(overrides, name);
    if (text === undefined) return fallback;
    const value = Number(text.trim());
    if (!Number.isFinite(value)) return fallback;
    // Kafka's Long.MAX_VALUE ("never") saturates to what a JS number holds exactly.
    return Math.min(Math.trunc(value), Number.MAX_SAFE_INTEGER);
  }

  settings(topicName: string): TopicSettings {
    const overrides = topicConfigs(this.image(), topicName);
    return {
      minInSyncReplicas: Math.max(1, this.#number(overrides, 'min.insync.replicas', 1)),
      maxMessageBytes: this.#number(overrides, 'max.message.bytes',
        DEFAULT_PARTITION_LOG_CONFIG.maxMessageBytes),
      logAppendTime: this.#value(overrides, 'message.timestamp.type') === 'LogAppendTime',
    };
  }

  logConfig(topicName: string): PartitionLogConfig {
    const overrides = topicConfigs(this.image(), topicName);
    const d = DEFAULT_PARTITION_LOG_CONFIG;
    const positive = (name: string, fallback: number): number => {
      const value = this.#number(overrides, name, fallback);
      return value > 0 ? value : fallback;
    };
    const limit = (name: string, fallback: number): number => {
      const value = this.#number(overrides, name, fallback);
      return value >= 0 ? value : -1;
    };
    return {
      segmentBytes: Math.min(positive('segment.bytes', d.segmentBytes), SEGMENT_BYTES_MAX),
      segmentMs: positive('segment.ms', d.segmentMs),
      retentionMs: limit('retention.ms', d.retentionMs),
      retentionBytes: limit('retention.bytes', d.retentionBytes),
      indexIntervalBytes: positive('index.interval.bytes', d.indexIntervalBytes),
      flushIntervalMessages: positive('flush.messages', d.flushIntervalMessages),
      flushIntervalMs: positive('flush.ms', d.flushIntervalMs),
      maxMessageBytes: positive('max.message.bytes', d.maxMessageBytes),
    };
  }
}
