/**
 * The admin client's argument and result shapes: KafkaJS's (types/index.d.ts) where KafkaJS
 * has the call, with raftka's extra fields marked. Results are plain data.
 */

export interface ReplicaAssignment {
  readonly partition: number;
  readonly replicas: readonly number[];
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
}

export interface TopicConfig {
  readonly topic: string;
  /** -1 (the default) for the broker's num.partitions. */
  readonly numPartitions?: number;
  /** -1 (the default) for the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  readonly replicaAssignment?: readonly ReplicaAssignment[];
  readonly configEntries?: readonly ConfigEntry[];
}

export interface CreateTopicsOptions {
  readonly topics: readonly TopicConfig[];
  readonly validateOnly?: boolean;
  /** Wait until every partition of the new topics has a leader (default true). */
  readonly waitForLeaders?: boolean;
  /** Sent to the broker as timeoutMs, and the bound of waitForLeaders (default 5000 ms). */
  readonly timeout?: number;
}

export interface DeleteTopicsOptions {
  readonly topics: readonly string[];
  readonly timeout?: number;
}

export interface TopicPartitionsConfig {
  readonly topic: string;
  /** The new total number of partitions. */
  readonly count: number;
  /** One replica list per new partition. */
  readonly assignments?: readonly (readonly number[])[];
}

export interface CreatePartitionsOptions {
  readonly topicPartitions: readonly TopicPartitionsConfig[];
  readonly validateOnly?: boolean;
  readonly timeout?: number;
}

export interface PartitionMetadataInfo {
  readonly partitionErrorCode: number;
  readonly partitionId: number;
  /** -1 when the partition has no leader. */
  readonly leader: number;
  /** raftka extra. */
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  /** raftka extra (KIP-966); null when the broker cannot tell. */
  readonly eligibleLeaderReplicas: readonly number[] | null;
  /** raftka extra (KIP-966). */
  readonly lastKnownElr: readonly number[] | null;
}

export interface TopicMetadataInfo {
  readonly name: string;
  /** raftka extra: Kafka's Uuid text form. */
  readonly topicId: string;
  /** raftka extra. */
  readonly isInternal: boolean;
  /** Sorted by partitionId. */
  readonly partitions: readonly PartitionMetadataInfo[];
}

export interface ClusterBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  /** raftka extra. */
  readonly rack: string | null;
  /** raftka extra. */
  readonly isFenced: boolean;
}

export interface ClusterDescription {
  readonly brokers: readonly ClusterBroker[];
  /** null when no controller is known. */
  readonly controller: number | null;
  readonly clusterId: string;
}

export interface QuorumReplicaState {
  readonly replicaId: number;
  /** Kafka's Uuid text form; AAAAAAAAAAAAAAAAAAAAAA when the replica has none. */
  readonly replicaDirectoryId: string;
  readonly logEndOffset: number;
  /** Epoch ms, or undefined when the leader has not heard from the replica. */
  readonly lastFetchTimestamp: number | undefined;
  readonly lastCaughtUpTimestamp: number | undefined;
}

export interface QuorumEndpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface QuorumNodeEndpoints {
  readonly nodeId: number;
  readonly endpoints: readonly QuorumEndpoint[];
}

/** The metadata quorum (Kafka's QuorumInfo), from describeQuorum(). */
export interface QuorumInfo {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly voters: readonly QuorumReplicaState[];
  readonly observers: readonly QuorumReplicaState[];
  readonly nodes: readonly QuorumNodeEndpoints[];
}

/** KafkaJS's ConfigResourceTypes (Kafka's ids). */
export const ConfigResourceTypes = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  BROKER: 4,
  BROKER_LOGGER: 8,
} as const;

export interface ResourceConfigQuery {
  readonly type: number;
  readonly name: string;
  /** All entries when omitted. */
  readonly configNames?: readonly string[];
}

export interface DescribeConfigsOptions {
  readonly resources: readonly ResourceConfigQuery[];
  readonly includeSynonyms?: boolean;
}

export interface ConfigSynonym {
  readonly configName: string;
  readonly configValue: string | null;
  readonly configSource: number;
}

export interface DescribedConfigEntry {
  readonly configName: string;
  readonly configValue: string | null;
  readonly readOnly: boolean;
  /** True when the value is the built-in default (configSource DEFAULT_CONFIG). */
  readonly isDefault: boolean;
  readonly configSource: number;
  readonly isSensitive: boolean;
  readonly configSynonyms: readonly ConfigSynonym[];
}

export interface DescribedResource {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configEntries: readonly DescribedConfigEntry[];
}

export interface DescribeConfigsResult {
  readonly resources: readonly DescribedResource[];
  readonly throttleTime: number;
}

/** One partition's offsets (KafkaJS's fetchTopicOffsets); strings, as KafkaJS gives them. */
export interface TopicPartitionOffsets {
  readonly partition: number;
  /** The high watermark: the next offset a consumer would read at the end. */
  readonly offset: string;
  readonly high: string;
  /** The log start offset. */
  readonly low: string;
}
