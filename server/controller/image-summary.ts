/**
 * A plain summary of a controller's committed metadata image, for tests and tools: topics with
 * their partitions (replicas, leader, ISR, epochs), brokers with their state, the features,
 * where the image stands in the log and its hash (equal hashes = equal images, imageHash).
 * The shape is the metadataImage reply's (protocol/controller/apis/metadata-image.ts).
 */
import { imageHash, type MetadataImage } from '../../metadata/index.js';
import type {
  BrokerSummary, ImageSummary, TopicSummary,
} from '../../protocol/controller/index.js';

export type {
  BrokerSummary, ImageSummary, PartitionSummary, TopicSummary,
} from '../../protocol/controller/index.js';

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
