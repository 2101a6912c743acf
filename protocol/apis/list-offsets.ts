/**
 * ListOffsets (key 2): per partition, the offset for a timestamp, answered by the leader.
 * timestamp -1 (LATEST) gives the log end offset (the high watermark for consumers), -2
 * (EARLIEST) the log start offset; otherwise the first offset whose record timestamp is at or
 * after it, or offset -1 with timestamp -1 when there is none (Kafka's answer).
 * OFFSET_NOT_AVAILABLE while a new leader's high watermark has not caught up (KIP-207).
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_PARTITIONS_PER_TOPIC, MAX_TOPICS } from '../limits.js';
import {
  epoch, errorCode, int32, int64, int8, nodeId, throttleTimeMs, topicName,
} from '../primitives.js';

/** Kafka's special timestamps (ListOffsetsRequest.LATEST_TIMESTAMP, EARLIEST_TIMESTAMP). */
export const OffsetSpec = { LATEST: -1, EARLIEST: -2 } as const;

export const listOffsetsPartitionSchema = z.object({
  partitionIndex: int32.min(0),
  /** -1 = unknown (no check); otherwise FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH (KIP-320). */
  currentLeaderEpoch: epoch,
  /** -1 latest, -2 earliest, else milliseconds since the epoch. */
  timestamp: int64.min(-2),
});

export const listOffsetsTopicSchema = z.object({
  name: topicName,
  partitions: z.array(listOffsetsPartitionSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const listOffsetsRequestSchema = z.object({
  /** -1 for consumers. */
  replicaId: nodeId,
  isolationLevel: int8.min(0).max(1),
  topics: z.array(listOffsetsTopicSchema).max(MAX_TOPICS),
});

export const listOffsetsPartitionResponseSchema = z.object({
  partitionIndex: int32.min(0),
  errorCode,
  /** The found record's timestamp; -1 for LATEST/EARLIEST and when nothing was found. */
  timestamp: int64.min(-1),
  /** -1 when no record has a timestamp at or after the one asked for. */
  offset: int64.min(-1),
  leaderEpoch: epoch,
});

export const listOffsetsTopicResponseSchema = z.object({
  name: topicName,
  partitions: z.array(listOffsetsPartitionResponseSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const listOffsetsResponseSchema = z.object({
  throttleTimeMs,
  topics: z.array(listOffsetsTopicResponseSchema).max(MAX_TOPICS),
});

export type ListOffsetsRequest = z.infer<typeof listOffsetsRequestSchema>;
export type ListOffsetsResponse = z.infer<typeof listOffsetsResponseSchema>;
export type ListOffsetsPartitionResponse = z.infer<typeof listOffsetsPartitionResponseSchema>;

export const listOffsetsApi = defineApi({
  name: 'ListOffsets',
  key: ApiKey.ListOffsets,
  minVersion: 0,
  maxVersion: 0,
  request: listOffsetsRequestSchema,
  response: listOffsetsResponseSchema,
});
