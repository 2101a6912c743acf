/**
 * client/consumer/: reading partitions, shaped like KafkaJS's consumer, for explicitly
 * assigned partitions (assign(), or subscribe() which assigns every partition of the topics;
 * consumer groups and committed offsets come later, so `groupId` is accepted and ignored).
 *
 *   consumer.ts   the public API and the fetch loop (one Fetch per leader, long poll, one
 *                 outstanding per broker, the next only after the handler finished)
 *   decode.ts     fetched batches to KafkaJS messages, skipping records below the position
 *   deliver.ts    runs eachMessage/eachBatch and moves positions
 *   message-channel.ts   messages(): the same loop as an async iterator
 *   state.ts      per-partition state and the configuration
 *
 * Delivery is at least once within a run: a position moves past a message only after its
 * handler returned. Positions live in memory; a new consumer starts from autoOffsetReset.
 */
export { Consumer } from './consumer.js';
export { ConsumerEvents } from './types.js';
export type {
  Batch, ConsumerConfig, ConsumerCrashEvent, ConsumerEventName, ConsumerRunConfig,
  EachBatchPayload, EachMessagePayload, KafkaMessage, MessageHeaders, SeekOptions,
  TopicPartitions, TopicPartitionsPause,
} from './types.js';
