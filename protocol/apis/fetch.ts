/**
 * Fetch (key 1): read record batches from partition leaders, for consumers (replicaId -1) and
 * for follower brokers (replicaId = their broker id, replicaEpoch = their broker epoch).
 *
 * Long poll: the leader answers once minBytes are available or maxWaitMs has passed. Records
 * come back as the stored batches, byte for byte; a batch may start before fetchOffset, so the
 * reader skips records below it. maxBytes and partitionMaxBytes are soft: the first batch is
 * returned even when larger, so a big batch never blocks a reader (KIP-74).
 *
 * Followers send lastFetchedEpoch; a leader whose log diverged answers with divergingEpoch
 * (KIP-595-style truncation). currentLeaderEpoch -1 skips the epoch check; a stale one gets
 * FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH (KIP-320). OFFSET_OUT_OF_RANGE when
 * fetchOffset is outside [logStartOffset, logEndOffset].
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_PARTITIONS_PER_TOPIC, MAX_TOPICS } from '../limits.js';
import {
  epoch, errorCode, int32, int64, int8, nodeId, throttleTimeMs, topicName,
} from '../primitives.js';
import { leaderIdAndEpochSchema, recordBytes } from './produce.js';

/** Kafka's isolation levels; raftka has no transactions, so both read the same. */
export const IsolationLevel = { READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const;

export const fetchPartitionSchema = z.object({
  partitionIndex: int32.min(0),
  /** The reader's view of the leader epoch; -1 = unknown (no check). */
  currentLeaderEpoch: epoch,
  /** The broker judges the range (OFFSET_OUT_OF_RANGE). */
  fetchOffset: int64,
  /** Followers: the epoch of their last fetched record; -1 for consumers. */
  lastFetchedEpoch: epoch,
  /** Followers: their log start offset; -1 for consumers. */
  logStartOffset: int64.min(-1),
  partitionMaxBytes: int32.min(0),
});

export const fetchTopicSchema = z.object({
  name: topicName,
  partitions: z.array(fetchPartitionSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const fetchRequestSchema = z.object({
  /** -1 for consumers; the follower's broker id for replication. */
  replicaId: nodeId,
  /** The follower's broker epoch; -1 for consumers. */
  replicaEpoch: int64.min(-1),
  maxWaitMs: int32.min(0),
  minBytes: int32.min(0),
  maxBytes: int32.min(0),
  isolationLevel: int8.min(0).max(1),
  topics: z.array(fetchTopicSchema).max(MAX_TOPICS),
});

/** Where a follower's log diverges from the leader's: truncate to endOffset (KIP-595). */
export const divergingEpochSchema = z.object({
  epoch: epoch,
  endOffset: int64.min(-1),
});

export const fetchPartitionResponseSchema = z.object({
  partitionIndex: int32.min(0),
  errorCode,
  highWatermark: int64.min(-1),
  lastStableOffset: int64.min(-1),
  logStartOffset: int64.min(-1),
  divergingEpoch: divergingEpochSchema.optional(),
  currentLeader: leaderIdAndEpochSchema.optional(),
  /** Whole record batches, concatenated; null on error. */
  records: recordBytes.nullable(),
});

export const fetchTopicResponseSchema = z.object({
  name: topicName,
  partitions: z.array(fetchPartitionResponseSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const fetchResponseSchema = z.object({
  throttleTimeMs,
  /** A failure of the whole fetch (Kafka's top-level errorCode); NONE otherwise. */
  errorCode,
  topics: z.array(fetchTopicResponseSchema).max(MAX_TOPICS),
});

export type FetchRequest = z.infer<typeof fetchRequestSchema>;
export type FetchResponse = z.infer<typeof fetchResponseSchema>;
export type FetchPartition = z.infer<typeof fetchPartitionSchema>;
export type FetchPartitionResponse = z.infer<typeof fetchPartitionResponseSchema>;

export const fetchApi = defineApi({
  name: 'Fetch',
  key: ApiKey.Fetch,
  minVersion: 0,
  maxVersion: 0,
  request: fetchRequestSchema,
  response: fetchResponseSchema,
});
