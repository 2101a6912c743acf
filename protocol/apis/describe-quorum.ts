/**
 * DescribeQuorum (key 55): the metadata quorum as its leader sees it (KIP-595, KIP-836 for the
 * timestamps, KIP-853 for directory ids and endpoints). Kafka nests this under topics and
 * partitions of __cluster_metadata; raftka has one quorum, so the fields sit at the top.
 * A broker answers by asking the quorum; `kafka-metadata-quorum describe` prints it.
 *
 * Timestamps are epoch milliseconds, -1 when unknown. `nodes` carries the listeners of the
 * voters (for the CurrentVoters endpoints); observers may be absent from it.
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_LISTENERS_PER_NODE, MAX_QUORUM_REPLICAS } from '../limits.js';
import {
  epoch, errorCode, errorMessage, int32, int64, nodeId, string, timestampMs, uuid,
} from '../primitives.js';

export const describeQuorumRequestSchema = z.object({});

export const replicaStateSchema = z.object({
  replicaId: nodeId.min(0),
  /** ZERO_UUID when the replica has no directory id (static quorums before KIP-853). */
  replicaDirectoryId: uuid,
  logEndOffset: int64.min(-1),
  lastFetchTimestamp: timestampMs,
  lastCaughtUpTimestamp: timestampMs,
});

export const quorumListenerSchema = z.object({
  name: string,
  host: string,
  port: int32.min(0).max(65_535),
});

export const quorumNodeSchema = z.object({
  nodeId: nodeId.min(0),
  listeners: z.array(quorumListenerSchema).max(MAX_LISTENERS_PER_NODE),
});

export const describeQuorumResponseSchema = z.object({
  errorCode,
  errorMessage,
  /** -1 while an election is running. */
  leaderId: nodeId,
  leaderEpoch: epoch,
  highWatermark: int64.min(-1),
  currentVoters: z.array(replicaStateSchema).max(MAX_QUORUM_REPLICAS),
  observers: z.array(replicaStateSchema).max(MAX_QUORUM_REPLICAS),
  nodes: z.array(quorumNodeSchema).max(MAX_QUORUM_REPLICAS),
});

export type DescribeQuorumRequest = z.infer<typeof describeQuorumRequestSchema>;
export type DescribeQuorumResponse = z.infer<typeof describeQuorumResponseSchema>;
export type ReplicaState = z.infer<typeof replicaStateSchema>;
export type QuorumNode = z.infer<typeof quorumNodeSchema>;

export const describeQuorumApi = defineApi({
  name: 'DescribeQuorum',
  key: ApiKey.DescribeQuorum,
  minVersion: 0,
  maxVersion: 0,
  request: describeQuorumRequestSchema,
  response: describeQuorumResponseSchema,
});
