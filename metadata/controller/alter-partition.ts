/**
 * AlterPartition: the partition leader asks to change the ISR (Kafka's
 * ReplicationControlManager.alterPartition and validateAlterPartitionData, with ELR off).
 * Checks, in Kafka's order: the broker epoch (STALE_BROKER_EPOCH); the partition exists;
 * epochs newer than ours mean this controller is behind (NOT_CONTROLLER); the sender leads
 * the partition (INVALID_REQUEST); its leader epoch is current (FENCED_LEADER_EPOCH) and so is
 * its partition epoch (INVALID_UPDATE_VERSION); the new ISR is a duplicate-free subset of the
 * replicas containing the leader (INVALID_REQUEST); every member may be in the ISR:
 * registered, unfenced, not shutting down (INELIGIBLE_REPLICA, KIP-903). The accepted change
 * bumps the partition epoch; the reply is the partition as it will be once the record commits.
 */
import type { MetadataImage, PartitionRegistration } from '../image/image-types.js';
import { mergePartitionChange, sameIds } from '../image/partition.js';
import { NO_LEADER_CHANGE, type PartitionChangeRecord } from '../records/record-types.js';
import { brokerEpochError, isUsable } from './brokers.js';
import { failed, ok, type ControllerResult, type ErrorName } from './errors.js';

export interface AlterPartitionRequest {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly topicId: string;
  readonly partitionId: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly newIsr: readonly number[];
}

export interface AlterPartitionReply {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
}

export function alterPartition(
  image: MetadataImage, request: AlterPartitionRequest,
): ControllerResult<AlterPartitionReply> {
  const epochError = brokerEpochError(image, request.brokerId, request.brokerEpoch);
  if (epochError !== undefined) return { ok: false, error: epochError };
  const topic = image.topics.byId.get(request.topicId);
  if (topic === undefined) {
    return failed('UNKNOWN_TOPIC_ID', 'This server does not host this topic ID.');
  }
  const partition = topic.partitions[request.partitionId];
  if (partition === undefined) {
    return failed('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');
  }
  const where = `${topic.name}-${request.partitionId}`;
  const problem = requestProblem(image, partition, request, where);
  if (problem !== undefined) return failed(problem[0], problem[1]);
  if (sameIds(request.newIsr, partition.isr)) return ok([], replyOf(partition));
  const record: PartitionChangeRecord = {
    type: 'PartitionChangeRecord',
    topicId: request.topicId,
    partitionId: request.partitionId,
    isr: request.newIsr,
    leader: NO_LEADER_CHANGE,
  };
  return ok([record], replyOf(mergePartitionChange(partition, record)));
}

function requestProblem(
  image: MetadataImage, partition: PartitionRegistration, request: AlterPartitionRequest,
  where: string,
): [ErrorName, string] | undefined {
  if (request.leaderEpoch > partition.leaderEpoch ||
    request.partitionEpoch > partition.partitionEpoch) {
    return ['NOT_CONTROLLER', `The controller has not yet seen the epochs of ${where}.`];
  }
  if (request.brokerId !== partition.leader) {
    return ['INVALID_REQUEST', `Broker ${request.brokerId} is not the leader of ${where} ` +
      `(the leader is ${partition.leader}).`];
  }
  if (request.leaderEpoch !== partition.leaderEpoch) {
    return ['FENCED_LEADER_EPOCH', `Leader epoch ${request.leaderEpoch} of ${where} is stale; ` +
      `the current leader epoch is ${partition.leaderEpoch}.`];
  }
  if (request.partitionEpoch !== partition.partitionEpoch) {
    return ['INVALID_UPDATE_VERSION', `Partition epoch ${request.partitionEpoch} of ${where} is ` +
      `stale; the current partition epoch is ${partition.partitionEpoch}.`];
  }
  const isr = request.newIsr;
  const bad = isr.length === 0 || new Set(isr).size !== isr.length ||
    isr.some((id) => !partition.replicas.includes(id)) || !isr.includes(partition.leader);
  if (bad) {
    return ['INVALID_REQUEST', `The new ISR ${isr.join(',')} of ${where} must be distinct ` +
      `replicas (${partition.replicas.join(',')}) that include the leader ${partition.leader}.`];
  }
  const ineligible = isr.filter((id) => !isUsable(image.cluster.brokers.get(id)));
  if (ineligible.length > 0) {
    return ['INELIGIBLE_REPLICA', `Replicas ${ineligible.join(',')} of ${where} cannot join ` +
      'the ISR: they are fenced, shutting down or not registered.'];
  }
  return undefined;
}

function replyOf(partition: PartitionRegistration): AlterPartitionReply {
  const { leader, leaderEpoch, partitionEpoch, isr } = partition;
  return { leader, leaderEpoch, partitionEpoch, isr };
}
