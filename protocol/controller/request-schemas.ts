/**
 * zod schemas of the controller API requests (the trust boundary: frames from brokers and
 * tools). Field names follow the controller's request types, which use Kafka's field names in
 * camelCase (CreateTopics, DeleteTopics, CreatePartitions, BrokerRegistration,
 * BrokerHeartbeat, AlterPartition). Every array has a named maximum.
 */
import { z } from 'zod';

/** The most topics one create/delete/createPartitions request may name. */
export const MAX_TOPICS_PER_REQUEST = 10_000;
/** The most replicas (or ISR members, listeners, log dirs) one list may hold. */
export const MAX_LIST_ENTRIES = 1_000;
/** The most configs one topic may carry in a create. */
export const MAX_CONFIGS_PER_TOPIC = 1_000;
const MAX_STRING_LENGTH = 32_767;

const int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
const offset = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);
const text = z.string().max(MAX_STRING_LENGTH);
const brokerIds = z.array(int32).max(MAX_LIST_ENTRIES);
const assignments = z.array(brokerIds).max(MAX_TOPICS_PER_REQUEST);

export const createTopicsSchema = z.object({
  topics: z.array(z.object({
    name: text,
    numPartitions: int32,
    replicationFactor: int32,
    assignments: assignments.optional(),
    configs: z.record(text, text).optional().refine(
      (configs) => configs === undefined || Object.keys(configs).length <= MAX_CONFIGS_PER_TOPIC,
      { message: `at most ${MAX_CONFIGS_PER_TOPIC} configs per topic` },
    ),
  })).max(MAX_TOPICS_PER_REQUEST),
  validateOnly: z.boolean().optional(),
});

export const deleteTopicsSchema = z.object({
  names: z.array(text).max(MAX_TOPICS_PER_REQUEST).optional(),
  topicIds: z.array(text).max(MAX_TOPICS_PER_REQUEST).optional(),
});

export const createPartitionsSchema = z.object({
  topics: z.array(z.object({
    name: text,
    count: int32,
    assignments: assignments.optional(),
  })).max(MAX_TOPICS_PER_REQUEST),
  validateOnly: z.boolean().optional(),
});

export const registerBrokerSchema = z.object({
  brokerId: int32.min(0),
  clusterId: text,
  incarnationId: text,
  listeners: z.array(z.object({
    name: text, host: text, port: z.number().int().min(0).max(65535), securityProtocol: text,
  })).max(MAX_LIST_ENTRIES),
  rack: text.nullable(),
  logDirs: z.array(text).max(MAX_LIST_ENTRIES),
});

export const brokerHeartbeatSchema = z.object({
  brokerId: int32.min(0),
  brokerEpoch: offset,
  currentMetadataOffset: offset,
  wantFence: z.boolean(),
  wantShutDown: z.boolean(),
});

export const alterPartitionSchema = z.object({
  brokerId: int32.min(0),
  brokerEpoch: offset,
  topicId: text,
  partitionId: int32.min(0),
  leaderEpoch: int32,
  partitionEpoch: int32,
  newIsr: brokerIds,
});

export const describeQuorumSchema = z.object({ leaderOnly: z.boolean().optional() });

export const emptySchema = z.object({}).passthrough();
