/**
 * deleteTopics: a forwarded DeleteTopics, by name or by id. The controller answers the names
 * first, then the ids, each in request order; a deleted topic comes back with its name and
 * id, a refused one with the name or id as requested.
 */
import { z } from 'zod';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import { listOf, MAX_TOPICS_PER_REQUEST, text, wireErrorFields } from '../fields.js';

export const deleteTopicsRequestSchema = z.object({
  names: listOf(text, MAX_TOPICS_PER_REQUEST).optional(),
  topicIds: listOf(text, MAX_TOPICS_PER_REQUEST).optional(),
});

export const deleteTopicResultSchema = z.object({
  ...wireErrorFields,
  name: text.optional(),
  topicId: text.optional(),
  /** The name or id as requested, on a refusal. */
  requested: text.optional(),
});

export const deleteTopicsReplySchema = z.object({
  topics: listOf(deleteTopicResultSchema, 2 * MAX_TOPICS_PER_REQUEST),
});

export type DeleteTopicControllerResult = z.infer<typeof deleteTopicResultSchema>;

export const deleteTopicsControllerApi = defineControllerApi({
  name: ControllerApi.deleteTopics,
  request: deleteTopicsRequestSchema,
  reply: deleteTopicsReplySchema,
});
