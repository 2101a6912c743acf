/**
 * zod building blocks for Kafka's field types. Integers are range-checked to the width Kafka
 * gives them (int8/16/32, and int64 as a safe JS integer: offsets and timestamps stay below
 * 2^53 for the life of any cluster), so a value accepted here converts to Kafka's types and back.
 */
import { z } from 'zod';
import { uuidFromString } from '../lib/uuid.js';
import {
  MAX_REPLICAS_PER_PARTITION, MAX_STRING_LENGTH, MAX_TOPIC_NAME_LENGTH,
} from './limits.js';

export const int8 = z.number().int().min(-128).max(127);
export const int16 = z.number().int().min(-32_768).max(32_767);
export const int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
export const int64 = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** A broker or controller id; -1 means none (no leader, no controller known). */
export const nodeId = int32.min(-1);
/** Leader and partition epochs; -1 means unknown. */
export const epoch = int32.min(-1);
/** A millisecond timestamp or -1 when unknown (Kafka's convention in DescribeQuorum). */
export const timestampMs = int64.min(-1);
export const errorCode = int16;

export const string = z.string().max(MAX_STRING_LENGTH);
export const nullableString = string.nullable();
export const errorMessage = string.nullable();
/** The wire bound only; the broker applies Kafka's naming rules (protocol/topic-name.ts). */
export const topicName = z.string().max(MAX_TOPIC_NAME_LENGTH);

/** Kafka's Uuid in its 22-character base64url form (topic, cluster and directory ids). */
export const uuid = z.string().length(22).refine((text) => uuidFromString(text) !== undefined, {
  message: 'not a Kafka Uuid (22 base64url characters)',
});

export const replicaList = z.array(nodeId.min(0)).max(MAX_REPLICAS_PER_PARTITION);
export const nullableReplicaList = replicaList.nullable();

/** Non-negative milliseconds a request allows the server (Kafka's timeoutMs). */
export const timeoutMs = int32.min(0);
/** Throttle time in responses; raftka does no quotas yet and sends 0. */
export const throttleTimeMs = int32.min(0);
