/**
 * The metadata records (KIP-631), as plain readonly data. Names, apiKeys and field meanings
 * follow Kafka's `metadata/src/main/resources/common/metadata/*.json`; fields raftka does not
 * use yet (features of a broker, directories, ELR, leader recovery state) are left out and
 * would come with a new record version.
 *
 * One Raft entry carries a list of records that commit together (record-codec.ts).
 */

/** Kafka's apiKey of each record type. */
export const ApiKey = {
  RegisterBrokerRecord: 0,
  UnregisterBrokerRecord: 1,
  TopicRecord: 2,
  PartitionRecord: 3,
  ConfigRecord: 4,
  PartitionChangeRecord: 5,
  RemoveTopicRecord: 9,
  FeatureLevelRecord: 12,
  ProducerIdsRecord: 15,
  BrokerRegistrationChangeRecord: 17,
  NoOpRecord: 20,
} as const;
export type RecordType = keyof typeof ApiKey;

/** A partition without a leader (offline). */
export const NO_LEADER = -1;
/** PartitionChangeRecord.leader when the change keeps the current leader (and its epoch). */
export const NO_LEADER_CHANGE = -2;

/** BrokerRegistrationChangeRecord.fenced (Kafka's BrokerRegistrationFencingChange). */
export const FencingChange = { unfence: -1, none: 0, fence: 1 } as const;
export type FencingChange = (typeof FencingChange)[keyof typeof FencingChange];

/**
 * BrokerRegistrationChangeRecord.inControlledShutdown (Kafka's
 * BrokerRegistrationInControlledShutdownChange).
 */
export const ControlledShutdownChange = { none: 0, inControlledShutdown: 1 } as const;
export type ControlledShutdownChange =
  (typeof ControlledShutdownChange)[keyof typeof ControlledShutdownChange];

/** ConfigResource.Type codes as Kafka writes them in ConfigRecord.resourceType. */
export const ConfigResourceType = { topic: 2, broker: 4 } as const;
export type ConfigResourceType = (typeof ConfigResourceType)[keyof typeof ConfigResourceType];

export interface EndPoint {
  /** The listener name, e.g. PLAINTEXT. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** The security protocol, e.g. PLAINTEXT or SSL. */
  readonly securityProtocol: string;
}

export interface RegisterBrokerRecord {
  readonly type: 'RegisterBrokerRecord';
  readonly brokerId: number;
  /** Fresh per broker process: tells a restart from a duplicate. */
  readonly incarnationId: string;
  /** The offset this record was committed at (KIP-631). */
  readonly brokerEpoch: number;
  readonly endPoints: readonly EndPoint[];
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
  readonly logDirs: readonly string[];
}

export interface UnregisterBrokerRecord {
  readonly type: 'UnregisterBrokerRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

export interface TopicRecord {
  readonly type: 'TopicRecord';
  readonly name: string;
  /** Kafka's 22-character Uuid text. */
  readonly topicId: string;
}

export interface PartitionRecord {
  readonly type: 'PartitionRecord';
  readonly partitionId: number;
  readonly topicId: string;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly addingReplicas: readonly number[];
  /** A broker id, or NO_LEADER. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

export interface ConfigRecord {
  readonly type: 'ConfigRecord';
  readonly resourceType: number;
  readonly resourceName: string;
  readonly name: string;
  /** null deletes the entry. */
  readonly value: string | null;
}

/**
 * A change to one partition. Replaying it bumps the partition epoch; setting `leader` (to
 * anything but NO_LEADER_CHANGE, even the same broker) also bumps the leader epoch, as
 * Kafka's PartitionRegistration.merge does. Absent fields keep their value.
 */
export interface PartitionChangeRecord {
  readonly type: 'PartitionChangeRecord';
  readonly partitionId: number;
  readonly topicId: string;
  readonly isr?: readonly number[];
  /** A broker id, NO_LEADER, or NO_LEADER_CHANGE. */
  readonly leader: number;
  readonly replicas?: readonly number[];
  readonly removingReplicas?: readonly number[];
  readonly addingReplicas?: readonly number[];
}

export interface RemoveTopicRecord {
  readonly type: 'RemoveTopicRecord';
  readonly topicId: string;
}

export interface FeatureLevelRecord {
  readonly type: 'FeatureLevelRecord';
  readonly name: string;
  /** 0 removes the feature. */
  readonly featureLevel: number;
}

export interface ProducerIdsRecord {
  readonly type: 'ProducerIdsRecord';
  /** The broker the last block went to (-1 in a snapshot). */
  readonly brokerId: number;
  readonly brokerEpoch: number;
  /** The first producer id not yet handed out. */
  readonly nextProducerId: number;
}

export interface BrokerRegistrationChangeRecord {
  readonly type: 'BrokerRegistrationChangeRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly fenced: FencingChange;
  readonly inControlledShutdown: ControlledShutdownChange;
}

/** Written by an idle active controller so that brokers see the log advance (KIP-835). */
export interface NoOpRecord {
  readonly type: 'NoOpRecord';
}

export type MetadataRecord =
  | RegisterBrokerRecord
  | UnregisterBrokerRecord
  | TopicRecord
  | PartitionRecord
  | ConfigRecord
  | PartitionChangeRecord
  | RemoveTopicRecord
  | FeatureLevelRecord
  | ProducerIdsRecord
  | BrokerRegistrationChangeRecord
  | NoOpRecord;

export type RecordOf<T extends RecordType> = Extract<MetadataRecord, { readonly type: T }>;
