/**
 * alterPartition (AlterPartition, KIP-497/KIP-903): a partition leader asks to change the ISR
 * in its leader and partition epochs; the controller answers with the partition as it now
 * stands, or FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, ...
 */
import { z } from 'zod';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import { brokerId, brokerIds, int32, nodeId, offset, text } from '../fields.js';

export const alterPartitionRequestSchema = z.object({
  brokerId,
  brokerEpoch: offset,
  topicId: text,
  partitionId: int32.min(0),
  leaderEpoch: int32,
  partitionEpoch: int32,
  newIsr: brokerIds,
});

export const alterPartitionReplySchema = z.object({
  leader: nodeId,
  leaderEpoch: int32,
  partitionEpoch: int32,
  isr: brokerIds,
});

export const alterPartitionControllerApi = defineControllerApi({
  name: ControllerApi.alterPartition,
  request: alterPartitionRequestSchema,
  reply: alterPartitionReplySchema,
});
