/**
 * The lines of `kafka-topics --describe`, exactly as Kafka 3.9's TopicCommand prints them
 * (TopicDescription.printDescription and PartitionDescription.printDescription): fields
 * separated by tabs, the partition line starting with one, TopicId left out when it is the
 * zero Uuid, Configs listing only non-default entries, Elr/LastKnownElr printed as N/A when
 * the broker cannot tell.
 */
import type { PartitionMetadataInfo } from '../../client/index.js';
import { ZERO_UUID } from '../../lib/uuid.js';

export interface TopicSummary {
  readonly name: string;
  readonly topicId: string;
  readonly partitionCount: number;
  readonly replicationFactor: number;
  /** Non-default entries as name=value. */
  readonly configs: readonly string[];
}

export function topicLine(topic: TopicSummary): string {
  return `Topic: ${topic.name}` +
    (topic.topicId === ZERO_UUID ? '' : `\tTopicId: ${topic.topicId}`) +
    `\tPartitionCount: ${topic.partitionCount}` +
    `\tReplicationFactor: ${topic.replicationFactor}` +
    `\tConfigs: ${topic.configs.join(',')}`;
}

const ids = (list: readonly number[] | null): string => (list === null ? 'N/A' : list.join(','));

export function partitionLine(topic: string, partition: PartitionMetadataInfo): string {
  return `\tTopic: ${topic}` +
    `\tPartition: ${partition.partitionId}` +
    `\tLeader: ${partition.leader >= 0 ? partition.leader : 'none'}` +
    `\tReplicas: ${partition.replicas.join(',')}` +
    `\tIsr: ${partition.isr.join(',')}` +
    `\tElr: ${ids(partition.eligibleLeaderReplicas)}` +
    `\tLastKnownElr: ${ids(partition.lastKnownElr)}`;
}

/** Kafka: replication factor minus ISR size is positive (reassignments aside). */
export function isUnderReplicated(partition: PartitionMetadataInfo): boolean {
  return partition.replicas.length - partition.isr.length > 0;
}

/** Kafka: no leader, or a leader that is not a live broker. */
export function isUnavailable(partition: PartitionMetadataInfo, liveBrokers: ReadonlySet<number>) {
  return partition.leader < 0 || !liveBrokers.has(partition.leader);
}
