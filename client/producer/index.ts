/**
 * client/producer/: the producer, shaped like KafkaJS's (`kafka.producer()`, send, sendBatch),
 * with Java's batching underneath.
 *
 *   send() ─► partitioners.ts picks a partition (murmur2 for keys, sticky otherwise)
 *          ─► accumulator.ts appends to the partition's open batch; the batch closes at
 *             batchSizeBytes or when the linger window ends, and is encoded once
 *          ─► sender.ts groups closed batches by leader into Produce requests (at most
 *             maxInFlightRequests per broker), retries with backoff, refreshes metadata when
 *             the leader moved, and settles each batch
 *          ─► batch.ts settles each send() once all batches holding its records have.
 *
 * Ordering: records of one send() to one partition keep their order in the log. Without
 * idempotence, a retry may reorder batches of one partition when several are in flight
 * (set maxInFlightRequests 1 to prevent it) or duplicate them after a timeout, as in Kafka.
 */
export { Producer } from './producer.js';
export type { ProducerConfig } from './producer.js';
export { Partitioners } from './partitioners.js';
export type {
  ICustomPartitioner, Partitioner, PartitionerArgs, PartitionerPartitionMetadata,
} from './partitioners.js';
export { CompressionTypes } from './types.js';
export type {
  Acks, CompressionType, HeaderValue, IHeaders, Message, ProducerBatch, ProducerRecord,
  RecordMetadata, TopicMessages,
} from './types.js';
