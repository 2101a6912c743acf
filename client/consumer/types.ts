/**
 * The consumer's public shapes, as KafkaJS names them (types/index.d.ts): KafkaMessage,
 * EachMessagePayload, EachBatchPayload, Batch, ConsumerRunConfig. Offsets and timestamps are
 * strings, keys and values Buffers (views into the fetch response: copy them to keep them
 * beyond the handler without keeping the whole response alive).
 */
import type { RetryOptions } from '../retry.js';

export interface ConsumerConfig {
  /** Accepted and ignored for now: consumer groups come later; use assign()/subscribe(). */
  readonly groupId?: string;
  /** Per-partition byte limit of a fetch (default 1 MiB, max.partition.fetch.bytes). */
  readonly maxBytesPerPartition?: number;
  /** The broker answers once this many bytes are available... (default 1). */
  readonly minBytes?: number;
  /** Whole-fetch byte limit (default 50 MiB, Java's fetch.max.bytes). */
  readonly maxBytes?: number;
  /** ...or once this long has passed (default 500 ms, Java's fetch.max.wait.ms). */
  readonly maxWaitTimeInMs?: number;
  /** Where a partition without a position starts, and where OFFSET_OUT_OF_RANGE resets to
   *  (auto.offset.reset; default 'latest', as Java and KafkaJS). */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /** Metadata older than this is refreshed (default 300000 ms). */
  readonly metadataMaxAge?: number;
  /** Overrides the client's retry policy: backoff after fetch errors, and how many times a
   *  failing handler is retried before the consumer crashes. */
  readonly retry?: Partial<RetryOptions>;
}

export type MessageHeaders = Record<string, Buffer | Buffer[] | null>;

export interface KafkaMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: MessageHeaders;
  /** Milliseconds since the epoch, as a string. */
  readonly timestamp: string;
  readonly offset: string;
  readonly attributes: number;
}

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface TopicPartitionsPause {
  readonly topic: string;
  /** All assigned partitions of the topic when omitted. */
  readonly partitions?: readonly number[];
}

export interface EachMessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  /** No-op until consumer groups exist (KafkaJS compatibility). */
  heartbeat(): Promise<void>;
  /** Pauses this partition after the current message; returns a function that resumes it. */
  pause(): () => void;
}

export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: readonly KafkaMessage[];
  isEmpty(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
  offsetLag(): string;
  offsetLagLow(): string;
}

export interface EachBatchPayload {
  readonly batch: Batch;
  /** Marks messages up to `offset` as processed (with eachBatchAutoResolve false). */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  pause(): () => void;
  /** No-ops until consumer groups exist (KafkaJS compatibility). */
  commitOffsetsIfNecessary(): Promise<void>;
  uncommittedOffsets(): { topics: [] };
  isRunning(): boolean;
  /** True once a seek, pause or stop made the rest of this batch moot. */
  isStale(): boolean;
}

export interface ConsumerRunConfig {
  readonly eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  readonly eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  /** After eachBatch returns, move past the whole batch (default true). */
  readonly eachBatchAutoResolve?: boolean;
  /** Partitions of one fetch answer handled at the same time (default 1). */
  readonly partitionsConsumedConcurrently?: number;
}

export interface SeekOptions {
  readonly topic: string;
  readonly partition: number;
  /** An offset (number or string), or 'earliest' / 'latest'. */
  readonly offset: number | string;
}

export interface ConsumerCrashEvent {
  readonly type: 'consumer.crash';
  readonly payload: { readonly error: Error; readonly groupId: string | null };
}

export const ConsumerEvents = {
  CRASH: 'consumer.crash',
  STOP: 'consumer.stop',
  FETCH: 'consumer.fetch',
} as const;
export type ConsumerEventName = (typeof ConsumerEvents)[keyof typeof ConsumerEvents];
