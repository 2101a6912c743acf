/**
 * Metadata (key 3): the brokers, the cluster id, a controller id and, per topic, its partitions
 * with leader, leader epoch, replicas, ISR, offline replicas and ELR (KIP-966; [] when the
 * cluster does not track it, null when the broker cannot tell).
 *
 * `controllerId` follows KRaft: brokers hide the quorum and name a broker (often themselves)
 * that forwards controller-bound requests; clients never dial controllers (KIP-590).
 * An unknown requested topic comes back with UNKNOWN_TOPIC_OR_PARTITION, topicId ZERO_UUID and
 * no partitions.
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_BROKERS, MAX_PARTITIONS_PER_TOPIC, MAX_TOPICS } from '../limits.js';
import {
  epoch, errorCode, int32, nodeId, nullableReplicaList, nullableString, replicaList, string,
  throttleTimeMs, topicName, uuid,
} from '../primitives.js';

export const metadataRequestSchema = z.object({
  /** null asks for every topic; [] for none (brokers and cluster only). */
  topics: z.array(topicName).max(MAX_TOPICS).nullable(),
  allowAutoTopicCreation: z.boolean(),
});

export const partitionMetadataSchema = z.object({
  errorCode,
  partitionIndex: int32.min(0),
  /** -1 when the partition has no leader. */
  leader: nodeId,
  leaderEpoch: epoch,
  replicas: replicaList,
  isr: replicaList,
  offlineReplicas: replicaList,
  eligibleLeaderReplicas: nullableReplicaList,
  lastKnownElr: nullableReplicaList,
});

export const topicMetadataSchema = z.object({
  errorCode,
  name: topicName,
  topicId: uuid,
  isInternal: z.boolean(),
  partitions: z.array(partitionMetadataSchema).max(MAX_PARTITIONS_PER_TOPIC),
});

export const brokerMetadataSchema = z.object({
  nodeId: nodeId.min(0),
  host: string,
  port: int32.min(0).max(65_535),
  rack: nullableString,
});

export const metadataResponseSchema = z.object({
  throttleTimeMs,
  brokers: z.array(brokerMetadataSchema).max(MAX_BROKERS),
  clusterId: nullableString,
  controllerId: nodeId,
  topics: z.array(topicMetadataSchema).max(MAX_TOPICS),
});

export type MetadataRequest = z.infer<typeof metadataRequestSchema>;
export type MetadataResponse = z.infer<typeof metadataResponseSchema>;
export type PartitionMetadata = z.infer<typeof partitionMetadataSchema>;
export type TopicMetadata = z.infer<typeof topicMetadataSchema>;
export type BrokerMetadata = z.infer<typeof brokerMetadataSchema>;

export const metadataApi = defineApi({
  name: 'Metadata',
  key: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 0,
  request: metadataRequestSchema,
  response: metadataResponseSchema,
});
