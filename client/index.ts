/**
 * client/: raftka's client library, the package's main entry (`import { Kafka } from 'raftka'`).
 * Shaped like KafkaJS, so that KafkaJS code ports with few changes:
 *
 *   const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'] });
 *   const admin = kafka.admin();
 *   await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
 *   await admin.disconnect();
 *
 * Layers, bottom up: connection.ts (one WebSocket per broker, many requests in flight matched
 * by correlation id, bounded, with timeouts; reconnects on next use), cluster.ts (bootstrap from
 * any broker in turn, metadata cache), retry.ts (exponential backoff with jitter on retriable
 * errors), admin.ts (the calls). It speaks protocol/ and imports only protocol/ and lib/.
 *
 * Errors: every rejection is a RaftkaError with `retriable`; a broker's error code becomes a
 * RaftkaProtocolError with `.type` (Kafka's name) and `.code`. Controller-bound requests go to
 * any broker, which forwards them; the client never talks to controllers.
 *
 * Data plane: `kafka.producer()` (producer/: Java-style batching with lingerMs and
 * batchSizeBytes, murmur2/sticky partitioners, retries to the new leader) and
 * `kafka.consumer()` (consumer/: assigned partitions, one long-poll Fetch per leader,
 * eachMessage/eachBatch or an async iterator, seek, pause/resume).
 */
export { Kafka } from './kafka.js';
export type { KafkaConfig, BrokerAddress } from './config.js';
export { parseBrokerAddress } from './config.js';
export { Admin } from './admin.js';
export { CompressionTypes, Partitioners, Producer } from './producer/index.js';
export type {
  Acks, CompressionType, HeaderValue, ICustomPartitioner, IHeaders, Message, Partitioner,
  PartitionerArgs, PartitionerPartitionMetadata, ProducerBatch, ProducerConfig, ProducerRecord,
  RecordMetadata, TopicMessages,
} from './producer/index.js';
export { Consumer, ConsumerEvents } from './consumer/index.js';
export type {
  Batch, ConsumerConfig, ConsumerCrashEvent, ConsumerEventName, ConsumerRunConfig,
  EachBatchPayload, EachMessagePayload, KafkaMessage, MessageHeaders, SeekOptions,
  TopicPartitions, TopicPartitionsPause,
} from './consumer/index.js';
export type { AdminConfig } from './admin.js';
export { ConfigResourceTypes } from './admin-types.js';
export type {
  ClusterBroker, ClusterDescription, ConfigEntry, ConfigSynonym, CreatePartitionsOptions,
  CreateTopicsOptions, DeleteTopicsOptions, DescribeConfigsOptions, DescribeConfigsResult,
  DescribedConfigEntry, DescribedResource, PartitionMetadataInfo, QuorumInfo,
  QuorumNodeEndpoints, QuorumReplicaState, ReplicaAssignment, ResourceConfigQuery, TopicConfig,
  TopicMetadataInfo, TopicPartitionOffsets, TopicPartitionsConfig,
} from './admin-types.js';
export { DEFAULT_RETRY, retryDelayMs } from './retry.js';
export type { RetryOptions } from './retry.js';
export { BrokerConnection } from './connection.js';
export type { ConnectionOptions, ConnectionStats } from './connection.js';
export {
  KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSError, KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError, KafkaJSRequestTimeoutError, RaftkaAggregateError, RaftkaConnectionError,
  RaftkaError, RaftkaNumberOfRetriesExceeded, RaftkaProtocolError, RaftkaRequestTimeoutError,
  RaftkaTopicError,
} from './errors.js';
export { ConfigSource } from '../protocol/apis/describe-configs.js';
export { ErrorCode, errorInfo } from '../protocol/error-codes.js';
export type { ErrorCodeInfo, ErrorName } from '../protocol/error-codes.js';
