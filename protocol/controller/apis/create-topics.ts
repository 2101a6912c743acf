/**
 * createTopics: a broker forwards a client's CreateTopics (KIP-590). The controller answers one
 * result per topic, in request order; each topic succeeds or fails on its own
 * (ReplicationControlManager.createTopics). numPartitions and replicationFactor are -1 for the
 * cluster defaults and must be -1 when assignments are given; the controller judges ranges
 * and names, the schema only the wire types.
 */
import { z } from 'zod';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import {
  assignments, int32, listOf, MAX_CONFIGS_PER_TOPIC, MAX_TOPICS_PER_REQUEST, text,
  wireErrorFields,
} from '../fields.js';

export const creatableTopicSchema = z.object({
  name: text,
  numPartitions: int32,
  replicationFactor: int32,
  assignments: assignments.optional(),
  configs: z.record(text, text).optional().refine(
    (configs) => configs === undefined || Object.keys(configs).length <= MAX_CONFIGS_PER_TOPIC,
    { message: `at most ${MAX_CONFIGS_PER_TOPIC} configs per topic` },
  ),
});

export const createTopicsRequestSchema = z.object({
  topics: listOf(creatableTopicSchema, MAX_TOPICS_PER_REQUEST),
  /** Check everything, create nothing. */
  validateOnly: z.boolean().optional(),
});

/** On success the topic's id and what it has (or would have, with validateOnly). */
export const createTopicResultSchema = z.object({
  ...wireErrorFields,
  name: text,
  topicId: text.optional(),
  numPartitions: int32.optional(),
  replicationFactor: int32.optional(),
});

export const createTopicsReplySchema = z.object({
  topics: listOf(createTopicResultSchema, MAX_TOPICS_PER_REQUEST),
});

export type CreateTopicsControllerRequest = z.infer<typeof createTopicsRequestSchema>;
export type CreateTopicControllerResult = z.infer<typeof createTopicResultSchema>;

export const createTopicsControllerApi = defineControllerApi({
  name: ControllerApi.createTopics,
  request: createTopicsRequestSchema,
  reply: createTopicsReplySchema,
});
