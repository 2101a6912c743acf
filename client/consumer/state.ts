/**
 * Per-partition consumer state and the consumer's configuration, checked once.
 */
import { z } from 'zod';
import { RaftkaError } from '../errors.js';
import type { FetchRequest } from '../../protocol/apis/fetch.js';
import type { RetryOptions } from '../retry.js';
import type { ConsumerConfig } from './types.js';

export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to hand out; undefined until resolved by `reset` (ListOffsets). */
  position: number | undefined;
  reset: 'earliest' | 'latest';
  /** Bumped by every seek: answers and batches from before it are dropped. */
  generation: number;
  paused: boolean;
  /** No fetch before this time (backoff after an error), ms since the epoch. */
  notBeforeMs: number;
  highWatermark: number;
  /** Handler failures in a row at the current position. */
  handlerFailures: number;
}

export function newPartitionState(topic: string, partition: number,
  reset: 'earliest' | 'latest'): PartitionState {
  return { topic, partition, position: undefined, reset, generation: 0, paused: false,
    notBeforeMs: 0, highWatermark: -1, handlerFailures: 0 };
}

export interface ResolvedConsumerConfig {
  readonly groupId: string | null;
  readonly maxBytesPerPartition: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly maxWaitTimeInMs: number;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly metadataMaxAgeMs: number;
  readonly retry: RetryOptions;
}

const int32 = z.number().int().min(0).max(2 ** 31 - 1);
const configSchema = z.object({
  groupId: z.string().optional(),
  maxBytesPerPartition: int32.min(1).optional(),
  minBytes: int32.optional(),
  maxBytes: int32.min(1).optional(),
  maxWaitTimeInMs: int32.optional(),
  autoOffsetReset: z.enum(['earliest', 'latest']).optional(),
  metadataMaxAge: int32.optional(),
  retry: z.object({}).passthrough().optional(),
}).passthrough();

export function checkConsumerConfig(config: ConsumerConfig,
  clientRetry: RetryOptions): ResolvedConsumerConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RaftkaError(`Invalid consumer configuration: ${issue?.path.join('.') ?? ''}: ` +
      `${issue?.message ?? 'invalid'}`);
  }
  return {
    groupId: config.groupId ?? null,
    maxBytesPerPartition: config.maxBytesPerPartition ?? 1024 * 1024,
    minBytes: config.minBytes ?? 1,
    maxBytes: config.maxBytes ?? 50 * 1024 * 1024,
    maxWaitTimeInMs: config.maxWaitTimeInMs ?? 500,
    autoOffsetReset: config.autoOffsetReset ?? 'latest',
    metadataMaxAgeMs: config.metadataMaxAge ?? 300_000,
    retry: { ...clientRetry, ...config.retry },
  };
}

/** An offset or timestamp given as a number or a decimal string. */
export function parseOffset(value: number | string): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new RaftkaError(`Invalid offset ${String(value)}: expected a non-negative integer, ` +
      "'earliest' or 'latest'");
  }
  return number;
}

/** Groups partitions by topic, in the wire's {name, partitions} shape. */
export function byTopic<T>(states: readonly PartitionState[], map: (state: PartitionState) => T):
  { name: string; partitions: T[] }[] {
  const topics = new Map<string, T[]>();
  for (const state of states) {
    const list = topics.get(state.topic);
    if (list === undefined) topics.set(state.topic, [map(state)]);
    else list.push(map(state));
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}

/** One consumer Fetch for the partitions of one leader, all at their positions. */
export function fetchRequest(config: ResolvedConsumerConfig,
  states: readonly PartitionState[]): FetchRequest {
  return {
    replicaId: -1, replicaEpoch: -1, maxWaitMs: config.maxWaitTimeInMs,
    minBytes: config.minBytes, maxBytes: config.maxBytes, isolationLevel: 0,
    topics: byTopic(states, (state) => ({
      partitionIndex: state.partition, currentLeaderEpoch: -1, fetchOffset: state.position!,
      lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: config.maxBytesPerPartition,
    })),
  };
}
