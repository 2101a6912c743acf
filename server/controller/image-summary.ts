/**
 * A plain summary of a controller's committed metadata image, for tests and tools: topics with
 * their partitions (replicas, leader, ISR, epochs), brokers with their state, the features,
 * where the image stands in the log and its hash (equal hashes = equal images, imageHash).
 */
import { imageHash, type MetadataImage } from '../../metadata/index.js';

export interface PartitionSummary {
  readonly partitionId: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

export interface TopicSummary {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: readonly PartitionSummary[];
}

export interface BrokerSummary {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}

export interface ImageSummary {
  readonly topics: readonly TopicSummary[];
  readonly brokers: readonly BrokerSummary[];
  readonly features: Readonly<Record<string, number>>;
  /** The offset and epoch of the last metadata entry in the image (-1: none). */
  readonly offset: number;
  readonly epoch: number;
  /** One past the last committed entry (any kind) this controller applied. */
  readonly appliedEndOffset: number;
  readonly imageHash: number;
}

export function summarizeImage(image: MetadataImage, appliedEndOffset: number): ImageSummary {
  const topics: TopicSummary[] = [];
  for (const [, topic] of image.topics.byName) {
    topics.push({
      name: topic.name,
      topicId: topic.topicId,
      partitions: topic.partitions.map((p, partitionId) => ({
        partitionId, replicas: p.replicas, isr: p.isr, leader: p.leader,
        leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
      })),
    });
  }
  topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const brokers: BrokerSummary[] = [];
  for (const [, broker] of image.cluster.brokers) {
    brokers.push({
      brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch, fenced: broker.fenced,
      inControlledShutdown: broker.inControlledShutdown,
    });
  }
  brokers.sort((a, b) => a.brokerId - b.brokerId);
  return {
    topics,
    brokers,
    features: Object.fromEntries(image.features),
    offset: image.provenance.offset,
    epoch: image.provenance.epoch,
    appliedEndOffset,
    imageHash: imageHash(image),
  };
}
