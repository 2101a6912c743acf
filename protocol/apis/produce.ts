/**
 * Produce (key 0): record batches for partitions, appended by each partition's leader.
 *
 * `records` is one or more record batches (magic v2, KIP-98) as the producer encoded them,
 * concatenated; the broker checks them (CRC, sizes) and stores the same bytes
 * (protocol/records/). `acks` is Kafka's: 0 = the broker sends no response at all and the
 * client must not wait for one; 1 = the leader has appended; -1 = every in-sync replica has
 * (min.insync.replicas). Per-partition results carry Kafka's codes: NOT_LEADER_OR_FOLLOWER
 * (with `currentLeader` when the broker knows it, KIP-951), NOT_ENOUGH_REPLICAS,
 * CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, REQUEST_TIMED_OUT...
 *
 * `acks` outside -1|0|1 is refused as INVALID_REQUEST by the schema (Kafka answers
 * INVALID_REQUIRED_ACKS; raftka clients never send another value).
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_PARTITIONS_PER_TOPIC, MAX_RECORDS_BYTES, MAX_TOPICS } from '../limits.js';
import {
  epoch, errorCode, errorMessage, int32, int64, nodeId, throttleTimeMs, timeoutMs, topicName,
} from '../primitives.js';

/** Record batch bytes. msgpackr decodes `bin` to a Buffer, a Uint8Array subclass. */
export const recordBytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array,
  { message: 'expected bytes' })
  .refine((bytes) => bytes.byteLength <= MAX_RECORDS_BYTES,
    { message: `more than ${MAX_RECORDS_BYTES} bytes` });

/** The leader a NOT_LEADER_OR_FOLLOWER answer points to (KIP-951), when the broker knows it. */
export const leaderIdAndEpochSchema = z.object({
  leaderId: nodeId,
  leaderEpoch: epoch,
});

export const Acks = { none: 0, leader: 1, all: -1 } as const;

export const producePartitionDataSchema = z.object({
  partitionIndex: int32.min(0),
  records: recordBytes,
});

export const produceTopicDataSchema = z.object({
  name: topicName,
  partitions: z.array(producePartitionDataSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const produceRequestSchema = z.object({
  acks: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  /** How long the leader waits for the in-sync replicas (acks=-1) before REQUEST_TIMED_OUT. */
  timeoutMs,
  topics: z.array(produceTopicDataSchema).max(MAX_TOPICS),
});

export const producePartitionResponseSchema = z.object({
  partitionIndex: int32.min(0),
  errorCode,
  errorMessage,
  /** Offset of the first record appended; -1 on error. */
  baseOffset: int64.min(-1),
  /** The broker's append time when the topic uses LogAppendTime, else -1. */
  logAppendTimeMs: int64.min(-1),
  logStartOffset: int64.min(-1),
  currentLeader: leaderIdAndEpochSchema.optional(),
});

export const produceTopicResponseSchema = z.object({
  name: topicName,
  partitions: z.array(producePartitionResponseSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const produceResponseSchema = z.object({
  throttleTimeMs,
  topics: z.array(produceTopicResponseSchema).max(MAX_TOPICS),
});

export type ProduceRequest = z.infer<typeof produceRequestSchema>;
export type ProduceResponse = z.infer<typeof produceResponseSchema>;
export type ProducePartitionData = z.infer<typeof producePartitionDataSchema>;
export type ProducePartitionResponse = z.infer<typeof producePartitionResponseSchema>;
export type LeaderIdAndEpoch = z.infer<typeof leaderIdAndEpochSchema>;

export const produceApi = defineApi({
  name: 'Produce',
  key: ApiKey.Produce,
  minVersion: 0,
  maxVersion: 0,
  request: produceRequestSchema,
  response: produceResponseSchema,
});
