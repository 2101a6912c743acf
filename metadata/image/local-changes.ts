/**
 * What a delta means for one broker's replicas (Kafka's TopicsDelta.localChanges): the
 * partitions it leads or follows whose registration changed, and the partitions it no longer
 * replicates because the topic was deleted or the broker was taken out of the replicas.
 * A broker applies these in its metadata listener: start or update leaders and followers
 * (the leader epoch tells whether anything really moved), stop and delete the rest.
 */
import type { PartitionRegistration, TopicImage } from './image-types.js';
import type { TopicsDelta } from './topics-delta.js';

export interface LocalPartition {
  readonly topicName: string;
  readonly topicId: string;
  readonly partitionId: number;
  readonly partition: PartitionRegistration;
}

export interface LocalDeletion {
  readonly topicName: string;
  readonly topicId: string;
  readonly partitionId: number;
  /** True when the whole topic is gone (delete the log); false when only reassigned away. */
  readonly topicDeleted: boolean;
}

export interface LocalReplicaChanges {
  /** Changed partitions whose leader is this broker. */
  readonly leaders: readonly LocalPartition[];
  /** Changed partitions that list this broker as a replica but not as the leader. */
  readonly followers: readonly LocalPartition[];
  readonly deletes: readonly LocalDeletion[];
}

export function computeLocalChanges(topics: TopicsDelta, brokerId: number): LocalReplicaChanges {
  const leaders: LocalPartition[] = [];
  const followers: LocalPartition[] = [];
  const deletes: LocalDeletion[] = [];
  for (const [topicId, topic] of topics.deletedTopics) {
    // A topic re-created with the same id (a snapshot load) is handled as changed below.
    if (topics.changedTopics.has(topicId)) continue;
    topic.partitions.forEach((partition, partitionId) => {
      if (partition.replicas.includes(brokerId)) {
        deletes.push({ topicName: topic.name, topicId, partitionId, topicDeleted: true });
      }
    });
  }
  for (const [topicId, delta] of topics.changedTopics) {
    const previous: TopicImage | undefined = delta.base ?? topics.deletedTopics.get(topicId);
    for (const [partitionId, partition] of delta.changes) {
      const topicName = delta.name;
      if (partition.replicas.includes(brokerId)) {
        const local = { topicName, topicId, partitionId, partition };
        (partition.leader === brokerId ? leaders : followers).push(local);
      } else if (previous?.partitions[partitionId]?.replicas.includes(brokerId) === true) {
        deletes.push({ topicName, topicId, partitionId, topicDeleted: false });
      }
    }
  }
  return { leaders, followers, deletes };
}
