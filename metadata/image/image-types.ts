/**
 * The metadata image: everything the metadata log says, as of one offset (Kafka's
 * MetadataImage). Images are immutable values. A new image is made by applying a
 * MetadataDelta to the previous one; the parts the delta did not touch are shared, not
 * copied (PersistentMap for the large maps, plain arrays for a topic's partitions, which
 * a delta copies once per touched topic).
 */
import type { EndPoint, PartitionRecord } from '../records/record-types.js';
import { PersistentMap } from './persistent-map.js';

/**
 * A partition as the image holds it: the state a PartitionRecord carries, without its address
 * (the topic and index it is stored under). Invariants:
 *  - replicas: non-empty, no duplicates; replicas[0] is the preferred leader;
 *  - isr: non-empty (Kafka with ELR off keeps the last member), a subset of replicas;
 *  - leader: NO_LEADER (-1) or a member of isr;
 *  - leaderEpoch: never decreases; grows by one with every leader change;
 *  - partitionEpoch: never decreases; grows by one with every change of the partition.
 */
export type PartitionRegistration = Omit<PartitionRecord, 'type' | 'topicId' | 'partitionId'>;

export interface TopicImage {
  readonly name: string;
  readonly topicId: string;
  /** Indexed by partition id. Invariant: dense (ids 0..length-1), non-empty. */
  readonly partitions: readonly PartitionRegistration[];
}

export interface TopicsImage {
  readonly byId: PersistentMap<string, TopicImage>;
  /** Invariant: the same topics as byId. */
  readonly byName: PersistentMap<string, TopicImage>;
  /**
   * Names that contain '.' or '_', under their name with '.' replaced by '_'. Derived (not
   * in snapshots): it lets the controller refuse names that collide in metric names.
   */
  readonly byCollisionName: PersistentMap<string, readonly string[]>;
}

export interface BrokerRegistration {
  readonly brokerId: number;
  readonly incarnationId: string;
  /** The offset of the RegisterBrokerRecord that made this registration. */
  readonly brokerEpoch: number;
  readonly endPoints: readonly EndPoint[];
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
  readonly logDirs: readonly string[];
}

export interface ClusterImage {
  readonly brokers: PersistentMap<number, BrokerRegistration>;
}

export interface ConfigsImage {
  /** Keyed by configResourceKey(type, name); a resource without entries is absent. */
  readonly resources: PersistentMap<string, ReadonlyMap<string, string>>;
}

export interface ProducerIdsImage {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  /** Invariant: never decreases. */
  readonly nextProducerId: number;
}

/** Where the image stands in the log: the last entry it contains (-1 for none). */
export interface Provenance {
  readonly offset: number;
  readonly epoch: number;
}

export interface MetadataImage {
  /** Finalized feature levels by name (metadata.version, kraft.version, ...). */
  readonly features: ReadonlyMap<string, number>;
  readonly cluster: ClusterImage;
  readonly topics: TopicsImage;
  readonly configs: ConfigsImage;
  readonly producerIds: ProducerIdsImage;
  readonly provenance: Provenance;
}

export const EMPTY_PROVENANCE: Provenance = { offset: -1, epoch: -1 };

export const EMPTY_IMAGE: MetadataImage = {
  features: new Map(),
  cluster: { brokers: PersistentMap.empty() },
  topics: {
    byId: PersistentMap.empty(),
    byName: PersistentMap.empty(),
    byCollisionName: PersistentMap.empty(),
  },
  configs: { resources: PersistentMap.empty() },
  producerIds: { brokerId: -1, brokerEpoch: -1, nextProducerId: 0 },
  provenance: EMPTY_PROVENANCE,
};

export function configResourceKey(resourceType: number, resourceName: string): string {
  return `${resourceType}:${resourceName}`;
}

/** Kafka's Topic.unifyCollisionChars: '.' and '_' look the same in metric names. */
export function collisionName(topicName: string): string | undefined {
  return /[._]/.test(topicName) ? topicName.replace(/\./g, '_') : undefined;
}
