/**
 * metadata/: the cluster metadata of raftka, kept in a log replicated by the controllers'
 * Raft quorum (Kafka KRaft, KIP-631). It owns
 *  - records/    the metadata records (Kafka's names and apiKeys), their zod schemas and
 *                their encoding: one Raft entry = one msgpack list of records
 *                `[frameVersion=1, apiKey, version, ...fields]` that commit together;
 *  - image/      the immutable MetadataImage (features, brokers, topics and partitions,
 *                configs, producer ids, provenance), the MetadataDelta that folds records
 *                into the next image and tells a broker what changed for it, snapshots (the
 *                image as records) and the image hash;
 *  - controller/ the QuorumController: request validation and the records to propose
 *                (topics, partitions, broker registration, heartbeats and fencing, ISR
 *                changes, producer ids), with Kafka's error names and messages;
 *  - MetadataStateMachine, the Raft StateMachine that applies committed entries.
 *
 * Contracts:
 *  - Pure and deterministic: no clock, no randomness, no I/O, no async. Time comes in as
 *    `nowMs`; randomness (topic ids, placement) from an injected Prng. The same records give
 *    the same image on every node (checked by imageHash).
 *  - State changes only by applying committed records. Request handlers return records and
 *    a reply; the reply goes out once the records' offset is committed.
 *  - A committed record that breaks an invariant (leader in ISR in replicas, epochs only
 *    growing, known topics and broker epochs) is a bug: an assert stops the node. A corrupt
 *    entry is refused by the decoder (zod) and, since it was committed, also asserts.
 *
 * Ordering rules:
 *  - Records of one entry are replayed in order; a TopicRecord precedes its ConfigRecords and
 *    PartitionRecords; partition changes precede the broker change that caused them.
 *  - apply() publishes one (delta, image) per call, synchronously, after the whole batch.
 *  - Broker epochs are offsets: a RegisterBrokerRecord's brokerEpoch is the offset it is
 *    committed at, so the active controller predicts offsets (see QuorumController).
 *
 * Performance: images share structure (PersistentMap, a HAMT), so applying a record costs
 * O(log n), never a copy of the topic map; a topic's partition array is copied once per
 * delta that touches it.
 */
export * from './records/record-types.js';
export {
  FRAME_VERSION, RECORD_VERSIONS, encodeRecords, decodeRecords, type DecodeRecordsResult,
} from './records/record-codec.js';
export { recordSchemas, RECORD_FIELDS } from './records/record-schemas.js';

export * from './image/image-types.js';
export { PersistentMap } from './image/persistent-map.js';
export { MetadataDelta } from './image/metadata-delta.js';
export type { TopicDelta, TopicsDelta } from './image/topics-delta.js';
export type { LocalDeletion, LocalPartition, LocalReplicaChanges } from './image/local-changes.js';
export {
  decodeImage, encodeImage, imageHash, imageToRecords, loadSnapshot, type DecodeImageResult,
  type LoadSnapshotResult,
} from './image/image-records.js';

export { MetadataStateMachine, type MetadataListener } from './metadata-state-machine.js';

export {
  QuorumController, type ControllerResponse, type ControllerWrite, type QuorumControllerOptions,
} from './controller/quorum-controller.js';
export {
  CONTROLLER_DEFAULTS, controllerConfig, type ControllerConfig,
} from './controller/controller-config.js';
export { CONTROLLER_ERROR_NAMES, type ApiError, type ErrorName } from './controller/errors.js';
export type { CreatableTopic, CreateTopicResult } from './controller/create-topics.js';
export type {
  CreatePartitionsResult, CreatePartitionsTopic,
} from './controller/create-partitions.js';
export type { DeleteTopicResult, DeleteTopicsRequest } from './controller/delete-topics.js';
export type {
  BrokerRegistrationReply, BrokerRegistrationRequest,
} from './controller/broker-registration.js';
export type {
  BrokerHeartbeatReply, BrokerHeartbeatRequest,
} from './controller/broker-heartbeat.js';
export type { AlterPartitionReply, AlterPartitionRequest } from './controller/alter-partition.js';
export type {
  AllocateProducerIdsReply, AllocateProducerIdsRequest,
} from './controller/producer-ids.js';
export { BrokerControlState, brokerState, isUsable } from './controller/brokers.js';
export { TOPIC_CONFIGS, topicConfigs } from './controller/topic-configs.js';
export { MAX_TOPIC_NAME_LENGTH, topicNameError } from './controller/topic-names.js';
export { placeReplicas } from './controller/replica-placement.js';
