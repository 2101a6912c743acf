/**
 * describeQuorum: the quorum as one controller sees it (what `kafka-metadata-quorum describe`
 * prints), with the replicas' fetch times in wall-clock milliseconds. Only the leader knows the
 * replicas' progress, so with leaderOnly a non-leader answers NOT_CONTROLLER with its hint.
 */
import { z } from 'zod';
import { MAX_QUORUM_REPLICAS } from '../../limits.js';
import { timestampMs } from '../../primitives.js';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import { brokerId, int32, listOf, nodeId, offset } from '../fields.js';

/** The Raft roles (raft/core/types.ts Role), as the status names them. */
export const QUORUM_ROLES = [
  'Unattached', 'Prospective', 'Candidate', 'Leader', 'Follower', 'Resigned',
] as const;

export const describeQuorumRequestSchema = z.object({ leaderOnly: z.boolean().optional() });

const replicaDescriptionSchema = z.object({
  nodeId: brokerId,
  logEndOffset: offset,
  lastFetchTimestamp: timestampMs,
  lastCaughtUpTimestamp: timestampMs,
});

export const quorumDescriptionSchema = z.object({
  nodeId: brokerId,
  role: z.enum(QUORUM_ROLES),
  epoch: int32.min(0),
  leaderId: nodeId,
  votedId: nodeId,
  highWatermark: offset,
  logStartOffset: offset,
  logEndOffset: offset,
  flushedEndOffset: offset,
  /** Only a leader knows these; empty elsewhere. */
  voters: listOf(replicaDescriptionSchema, MAX_QUORUM_REPLICAS),
  observers: listOf(replicaDescriptionSchema, MAX_QUORUM_REPLICAS),
});

export const describeQuorumReplySchema = z.object({ status: quorumDescriptionSchema });

export type QuorumDescriptionReply = z.infer<typeof quorumDescriptionSchema>;

export const describeQuorumControllerApi = defineControllerApi({
  name: ControllerApi.describeQuorum,
  request: describeQuorumRequestSchema,
  reply: describeQuorumReplySchema,
});
