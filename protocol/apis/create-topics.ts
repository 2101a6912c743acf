/**
 * CreateTopics (key 19). Any broker accepts it and forwards it to the active controller
 * (KIP-590); the answer has one result per topic, in request order.
 *
 * numPartitions and replicationFactor are -1 for the broker's defaults (num.partitions,
 * default.replication.factor) and must be -1 when assignments are given (Kafka's rule). The
 * schema checks only the wire types: ranges and names are the broker's to judge, per topic,
 * with Kafka's codes (INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_TOPIC_EXCEPTION,
 * INVALID_CONFIG, TOPIC_ALREADY_EXISTS), so one bad topic does not fail the others.
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_CONFIG_ENTRIES, MAX_PARTITIONS_PER_TOPIC, MAX_TOPICS } from '../limits.js';
import {
  errorCode, errorMessage, int16, int32, nullableString, replicaList, string, throttleTimeMs,
  timeoutMs, topicName, uuid,
} from '../primitives.js';

export const createTopicAssignmentSchema = z.object({
  partitionIndex: int32.min(0),
  brokerIds: replicaList,
});

export const createTopicConfigSchema = z.object({
  name: string,
  value: nullableString,
});

export const creatableTopicSchema = z.object({
  name: topicName,
  numPartitions: int32,
  replicationFactor: int16,
  assignments: z.array(createTopicAssignmentSchema).max(MAX_PARTITIONS_PER_TOPIC),
  configs: z.array(createTopicConfigSchema).max(MAX_CONFIG_ENTRIES),
});

export const createTopicsRequestSchema = z.object({
  topics: z.array(creatableTopicSchema).max(MAX_TOPICS),
  /** How long the broker waits for the controller before answering REQUEST_TIMED_OUT. */
  timeoutMs,
  /** Check everything, create nothing. */
  validateOnly: z.boolean(),
});

export const createTopicResultSchema = z.object({
  name: topicName,
  /** ZERO_UUID when the topic was not created. */
  topicId: uuid,
  errorCode,
  errorMessage,
  /** What the topic has (or would have, with validateOnly); -1 on error. */
  numPartitions: int32,
  replicationFactor: int16,
});

export const createTopicsResponseSchema = z.object({
  throttleTimeMs,
  topics: z.array(createTopicResultSchema).max(MAX_TOPICS),
});

export type CreateTopicsRequest = z.infer<typeof createTopicsRequestSchema>;
export type CreateTopicsResponse = z.infer<typeof createTopicsResponseSchema>;
export type CreatableTopic = z.infer<typeof creatableTopicSchema>;
export type CreateTopicResult = z.infer<typeof createTopicResultSchema>;

export const createTopicsApi = defineApi({
  name: 'CreateTopics',
  key: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 0,
  request: createTopicsRequestSchema,
  response: createTopicsResponseSchema,
});
