/**
 * A MetadataDelta folds records into changes against a base image; apply() makes the next
 * image (Kafka's MetadataDelta). One delta usually covers one or more committed entries;
 * listeners receive it with the new image to learn what changed (localChanges).
 *
 * Replay rules: records are replayed in log order; a record that contradicts the state built
 * so far (a partition of an unknown topic, a stale broker epoch, epochs going backwards) was
 * written by a buggy controller and fails an assert. In snapshot mode the delta starts by
 * marking the whole base image deleted, so that replaying a snapshot's records yields exactly
 * the snapshot's state while the delta still tells what changed relative to the base.
 */
import { unreachable } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import { ConfigResourceType, type MetadataRecord } from '../records/record-types.js';
import { ClusterDelta } from './cluster-delta.js';
import { ConfigsDelta } from './configs-delta.js';
import type {
  BrokerRegistration, MetadataImage, ProducerIdsImage, Provenance,
} from './image-types.js';
import { computeLocalChanges, type LocalReplicaChanges } from './local-changes.js';
import { TopicsDelta } from './topics-delta.js';

const NO_BROKER_CHANGES: ReadonlyMap<number, BrokerRegistration | null> = new Map();

export class MetadataDelta {
  // Sub-deltas are made on first use: most deltas touch topics only.
  #topics: TopicsDelta | undefined;
  #cluster: ClusterDelta | undefined;
  #configs: ConfigsDelta | undefined;
  /** Feature levels set by this delta; 0 means removed. */
  readonly #features = new Map<string, number>();
  #producerIds: ProducerIdsImage | undefined;
  #provenance: Provenance;
  readonly #snapshot: boolean;

  constructor(readonly image: MetadataImage, mode: 'log' | 'snapshot' = 'log') {
    this.#provenance = image.provenance;
    this.#snapshot = mode === 'snapshot';
    if (this.#snapshot) {
      this.topics.markAllDeleted();
      this.cluster.markAllDeleted();
      this.configs.markAllDeleted();
      for (const name of image.features.keys()) this.#features.set(name, 0);
      this.#producerIds = { brokerId: -1, brokerEpoch: -1, nextProducerId: 0 };
    }
  }

  get topics(): TopicsDelta {
    return (this.#topics ??= new TopicsDelta(this.image.topics));
  }

  get cluster(): ClusterDelta {
    return (this.#cluster ??= new ClusterDelta(this.image.cluster));
  }

  get configs(): ConfigsDelta {
    return (this.#configs ??= new ConfigsDelta(this.image.configs));
  }

  get provenance(): Provenance {
    return this.#provenance;
  }

  /** Brokers registered, changed (fenced, unfenced, shutting down) or unregistered (null). */
  get changedBrokers(): ReadonlyMap<number, BrokerRegistration | null> {
    return this.#cluster?.changes ?? NO_BROKER_CHANGES;
  }

  get featureChanges(): ReadonlyMap<string, number> {
    return this.#features;
  }

  get producerIdsChanged(): boolean {
    return this.#producerIds !== undefined;
  }

  /** Records that the delta now covers the log up to and including `offset`. */
  advanceTo(offset: number, epoch: number): void {
    check(this.#snapshot || offset > this.#provenance.offset,
      () => `delta moves from offset ${this.#provenance.offset} to ${offset}`);
    this.#provenance = { offset, epoch };
  }

  replay(record: MetadataRecord): void {
    switch (record.type) {
      case 'RegisterBrokerRecord': return this.cluster.replayRegister(record);
      case 'UnregisterBrokerRecord': return this.cluster.replayUnregister(record);
      case 'BrokerRegistrationChangeRecord': return this.cluster.replayChange(record);
      case 'TopicRecord': return this.topics.replayTopic(record);
      case 'PartitionRecord': return this.topics.replayPartition(record);
      case 'PartitionChangeRecord': return this.topics.replayPartitionChange(record);
      case 'RemoveTopicRecord': {
        const name = this.topics.replayRemoveTopic(record);
        return this.configs.clearResource(ConfigResourceType.topic, name);
      }
      case 'ConfigRecord': return this.configs.replay(record);
      case 'FeatureLevelRecord': {
        this.#features.set(record.name, record.featureLevel);
        return;
      }
      case 'ProducerIdsRecord': {
        const current = this.#producerIds ?? this.image.producerIds;
        check(this.#snapshot || record.nextProducerId >= current.nextProducerId,
          () => `ProducerIdsRecord moves nextProducerId back to ${record.nextProducerId}`);
        const { brokerId, brokerEpoch, nextProducerId } = record;
        this.#producerIds = { brokerId, brokerEpoch, nextProducerId };
        return;
      }
      case 'NoOpRecord': return;
      default: return unreachable(record, 'record');
    }
  }

  replayAll(records: readonly MetadataRecord[]): void {
    for (const record of records) this.replay(record);
  }

  /** The image after every record replayed so far. */
  apply(): MetadataImage {
    return {
      features: this.#applyFeatures(),
      cluster: this.#cluster?.apply() ?? this.image.cluster,
      topics: this.#topics?.apply() ?? this.image.topics,
      configs: this.#configs?.apply() ?? this.image.configs,
      producerIds: this.#producerIds ?? this.image.producerIds,
      provenance: this.#provenance,
    };
  }

  /** What a broker must do about its own replicas (KIP-631's broker metadata publisher). */
  localChanges(brokerId: number): LocalReplicaChanges {
    return computeLocalChanges(this.topics, brokerId);
  }

  #applyFeatures(): ReadonlyMap<string, number> {
    if (this.#features.size === 0) return this.image.features;
    const features = new Map(this.image.features);
    for (const [name, level] of this.#features) {
      if (level === 0) features.delete(name);
      else features.set(name, level);
    }
    return features;
  }
}
