/**
 * DeleteTopics (key 20), forwarded to the controller like CreateTopics. A topic is named by
 * name or by id (exactly one, as in Kafka's DeleteTopics v6); each gets its own result.
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_TOPICS } from '../limits.js';
import {
  errorCode, errorMessage, throttleTimeMs, timeoutMs, topicName, uuid,
} from '../primitives.js';

export const deleteTopicStateSchema = z.object({
  name: topicName.nullable(),
  topicId: uuid.nullable(),
}).refine((topic) => (topic.name === null) !== (topic.topicId === null), {
  message: 'exactly one of name and topicId must be set',
});

export const deleteTopicsRequestSchema = z.object({
  topics: z.array(deleteTopicStateSchema).max(MAX_TOPICS),
  timeoutMs,
});

export const deleteTopicResultSchema = z.object({
  name: topicName.nullable(),
  topicId: uuid,
  errorCode,
  errorMessage,
});

export const deleteTopicsResponseSchema = z.object({
  throttleTimeMs,
  responses: z.array(deleteTopicResultSchema).max(MAX_TOPICS),
});

export type DeleteTopicsRequest = z.infer<typeof deleteTopicsRequestSchema>;
export type DeleteTopicsResponse = z.infer<typeof deleteTopicsResponseSchema>;
export type DeleteTopicResult = z.infer<typeof deleteTopicResultSchema>;

export const deleteTopicsApi = defineApi({
  name: 'DeleteTopics',
  key: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 0,
  request: deleteTopicsRequestSchema,
  response: deleteTopicsResponseSchema,
});
