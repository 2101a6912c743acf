/**
 * CreatePartitions (key 37): grows a topic to `count` partitions (never shrinks: a smaller or
 * equal count is INVALID_PARTITIONS). `assignments`, when given, has one replica list per new
 * partition. Forwarded to the controller like CreateTopics.
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_PARTITIONS_PER_TOPIC, MAX_TOPICS } from '../limits.js';
import {
  errorCode, errorMessage, int32, replicaList, throttleTimeMs, timeoutMs, topicName,
} from '../primitives.js';

export const createPartitionsAssignmentSchema = z.object({ brokerIds: replicaList });

export const createPartitionsTopicSchema = z.object({
  name: topicName,
  count: int32,
  assignments: z.array(createPartitionsAssignmentSchema).max(MAX_PARTITIONS_PER_TOPIC).nullable(),
});

export const createPartitionsRequestSchema = z.object({
  topics: z.array(createPartitionsTopicSchema).max(MAX_TOPICS),
  timeoutMs,
  validateOnly: z.boolean(),
});

export const createPartitionsResultSchema = z.object({
  name: topicName,
  errorCode,
  errorMessage,
});

export const createPartitionsResponseSchema = z.object({
  throttleTimeMs,
  results: z.array(createPartitionsResultSchema).max(MAX_TOPICS),
});

export type CreatePartitionsRequest = z.infer<typeof createPartitionsRequestSchema>;
export type CreatePartitionsResponse = z.infer<typeof createPartitionsResponseSchema>;
export type CreatePartitionsResult = z.infer<typeof createPartitionsResultSchema>;

export const createPartitionsApi = defineApi({
  name: 'CreatePartitions',
  key: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 0,
  request: createPartitionsRequestSchema,
  response: createPartitionsResponseSchema,
});
