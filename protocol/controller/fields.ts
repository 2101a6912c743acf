/**
 * zod building blocks of the controller API's schemas and the named maximum of every list.
 * Field widths follow Kafka's (ids and epochs int32, offsets and broker epochs int64 as safe
 * integers, error codes int16; protocol/primitives.ts). Lists parse as readonly (frozen)
 * arrays: the controller and the broker read them and never change them in place.
 */
import { z } from 'zod';
import { int16, int32, int64, string } from '../primitives.js';

/** The most topics one create/delete/createPartitions request (or its reply) may name. */
export const MAX_TOPICS_PER_REQUEST = 10_000;
/** The most replicas (or ISR members, listeners, log dirs) one list may hold. */
export const MAX_LIST_ENTRIES = 1_000;
/** The most configs one topic may carry in a create. */
export const MAX_CONFIGS_PER_TOPIC = 1_000;
/** Kafka's error names are upper-case identifiers of at most about 40 characters. */
const MAX_ERROR_NAME_LENGTH = 64;

export { int32, string as text };
/** A log offset or broker epoch; -1 when there is none yet. */
export const offset = int64.min(-1);
/** A broker or controller id; -1 means none (no leader known). */
export const nodeId = int32.min(-1);
export const brokerId = int32.min(0);
export const brokerIds = z.array(int32).max(MAX_LIST_ENTRIES).readonly();
/** Replicas of partition i at index i (kafka-topics --replica-assignment). */
export const assignments = z.array(brokerIds).max(MAX_TOPICS_PER_REQUEST).readonly();

/** A list of at most `max` items of `item`, parsed as a readonly array. */
export function listOf<T extends z.ZodType>(item: T, max: number) {
  return z.array(item).max(max).readonly();
}

/**
 * What every reply and every per-topic result carries about its outcome (WireError):
 * Kafka's name ('NONE' on success), its number, whether resending may succeed, and a text.
 */
export const wireErrorFields = {
  error: z.string().min(1).max(MAX_ERROR_NAME_LENGTH),
  errorCode: int16,
  retriable: z.boolean(),
  message: string,
};
