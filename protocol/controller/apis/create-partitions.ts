/**
 * createPartitions: a forwarded CreatePartitions grows each topic to a total count, with
 * explicit assignments for the new partitions or the controller's placement. One result per
 * topic, in request order.
 */
import { z } from 'zod';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import {
  assignments, int32, listOf, MAX_TOPICS_PER_REQUEST, text, wireErrorFields,
} from '../fields.js';

export const createPartitionsRequestSchema = z.object({
  topics: listOf(z.object({
    name: text,
    /** The total number of partitions wanted. */
    count: int32,
    assignments: assignments.optional(),
  }), MAX_TOPICS_PER_REQUEST),
  validateOnly: z.boolean().optional(),
});

export const createPartitionsResultSchema = z.object({ ...wireErrorFields, name: text });

export const createPartitionsReplySchema = z.object({
  topics: listOf(createPartitionsResultSchema, MAX_TOPICS_PER_REQUEST),
});

export const createPartitionsControllerApi = defineControllerApi({
  name: ControllerApi.createPartitions,
  request: createPartitionsRequestSchema,
  reply: createPartitionsReplySchema,
});
