/**
 * The producer (KafkaJS's `kafka.producer()`): connect, send, sendBatch, disconnect.
 *
 * send() converts and places every message first (a bad message rejects the whole call before
 * anything is queued), then adds the records to the accumulator's open batches and resolves
 * when every batch holding one of its records is acknowledged, with one RecordMetadata per
 * partition. If any of its batches fails for good, the send rejects with that error (other
 * partitions of the same send may have been written: a send is not atomic, as in Kafka).
 *
 * Defaults: lingerMs 5 (Java's linger.ms since Kafka 4.0, KIP-1030: a few ms of waiting buys
 * much larger batches), batchSizeBytes 16384 (batch.size), maxInFlightRequests 5 per broker
 * (max.in.flight.requests.per.connection), acks -1, allowAutoTopicCreation true (KafkaJS).
 * The producer is not idempotent: `idempotent: true` is refused until producer ids exist.
 */
import { z } from 'zod';
import type { TopicMetadata } from '../../protocol/apis/metadata.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { Cluster } from '../cluster.js';
import { RaftkaError, RaftkaTopicError } from '../errors.js';
import { withRetry } from '../retry.js';
import type { RetryOptions } from '../retry.js';
import { RecordAccumulator } from './accumulator.js';
import { SendState, toBatchRecord } from './batch.js';
import type { CompressionName } from './batch.js';
import { Partitioners } from './partitioners.js';
import type {
  ICustomPartitioner, Partitioner, PartitionerPartitionMetadata,
} from './partitioners.js';
import { Sender } from './sender.js';
import { CompressionTypes } from './types.js';
import type {
  Acks, Message, ProducerBatch, ProducerRecord, RecordMetadata,
} from './types.js';

export interface ProducerConfig {
  readonly createPartitioner?: ICustomPartitioner;
  /** Overrides the client's retry policy for this producer. */
  readonly retry?: Partial<RetryOptions>;
  /** Metadata older than this is refreshed before a send, ms (default 300000). */
  readonly metadataMaxAge?: number;
  /** Asks brokers to create unknown topics (default true, as KafkaJS). */
  readonly allowAutoTopicCreation?: boolean;
  /** Only false: raftka has no idempotent producer yet. */
  readonly idempotent?: false;
  /** Produce requests unanswered per broker (default 5). */
  readonly maxInFlightRequests?: number;
  /** How long a batch waits for more records, ms (default 5; 0 = one event-loop turn). */
  readonly lingerMs?: number;
  /** A batch closes when its records reach this size (default 16384). */
  readonly batchSizeBytes?: number;
  /** Largest Produce request (default 1 MiB, max.request.size); one batch may exceed it. */
  readonly maxRequestBytes?: number;
  /** Records buffered but not yet acknowledged (default 32 MiB, buffer.memory). */
  readonly maxBufferedBytes?: number;
  /** Default acks of send() (default -1). */
  readonly acks?: Acks;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const acksSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

const configSchema = z.object({
  createPartitioner: z.function().optional(),
  retry: z.object({}).passthrough().optional(),
  metadataMaxAge: z.number().int().min(0).optional(),
  allowAutoTopicCreation: z.boolean().optional(),
  idempotent: z.literal(false, { message: 'the idempotent producer is not supported yet' })
    .optional(),
  maxInFlightRequests: z.number().int().min(1).max(1_000).optional(),
  lingerMs: z.number().int().min(0).max(60_000).optional(),
  batchSizeBytes: z.number().int().min(1).max(64 * 1024 * 1024).optional(),
  maxRequestBytes: z.number().int().min(1).max(2 ** 31 - 1).optional(),
  maxBufferedBytes: z.number().int().min(1).max(2 ** 40).optional(),
  acks: acksSchema.optional(),
});

function checkConfig(config: ProducerConfig): void {
  const parsed = configSchema.safeParse(config);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  throw new RaftkaError(`Invalid producer configuration: ${issue?.path.join('.') ?? ''}: ` +
    `${issue?.message ?? 'invalid'}`);
}

export class Producer {
  private readonly retry: RetryOptions;
  private readonly partitioner: Partitioner;
  private readonly accumulator: RecordAccumulator;
  private readonly sender: Sender;
  private readonly metadataMaxAgeMs: number;
  private readonly allowAutoTopicCreation: boolean;
  private readonly defaultAcks: Acks;
  private state: 'new' | 'connected' | 'disconnected' = 'new';
  private readonly partitionerViews = new WeakMap<TopicMetadata,
    PartitionerPartitionMetadata[]>();

  constructor(private readonly cluster: Cluster, config: ProducerConfig = {}) {
    checkConfig(config);
    this.retry = { ...cluster.config.retry, ...config.retry };
    this.partitioner = (config.createPartitioner ?? Partitioners.DefaultPartitioner)();
    this.metadataMaxAgeMs = config.metadataMaxAge ?? 300_000;
    this.allowAutoTopicCreation = config.allowAutoTopicCreation ?? true;
    this.defaultAcks = config.acks ?? -1;
    this.sender = new Sender(cluster, {
      maxInFlightRequests: config.maxInFlightRequests ?? 5,
      maxRequestBytes: config.maxRequestBytes ?? 1024 * 1024,
      retry: this.retry,
      allowAutoTopicCreation: this.allowAutoTopicCreation,
    }, (batch) => this.accumulator.release(batch));
    this.accumulator = new RecordAccumulator({
      lingerMs: config.lingerMs ?? 5,
      batchSizeBytes: config.batchSizeBytes ?? 16_384,
      maxBufferedBytes: config.maxBufferedBytes ?? 32 * 1024 * 1024,
    }, (batch) => {
      this.partitioner.onBatchSent?.(batch.topic, batch.partition);
      this.sender.enqueue(batch);
    });
  }

  /** Connects to a bootstrap broker and loads the broker list. */
  async connect(): Promise<void> {
    if (this.state === 'disconnected') throw new RaftkaError('The producer is disconnected');
    await withRetry(this.retry, () => this.cluster.refreshMetadata([]));
    this.state = 'connected';
  }

  /**
   * Sends what is buffered, waits for every outstanding batch to settle, then closes the
   * connections. Sends started after this reject.
   */
  async disconnect(): Promise<void> {
    if (this.state === 'disconnected') return;
    this.state = 'disconnected';
    this.accumulator.closeAll();
    await this.sender.idle();
    this.sender.close(new RaftkaError('The producer is disconnected'));
    await this.cluster.disconnect();
  }

  /** Requests and batches in the air (for tests and monitoring). */
  stats(): { requestsSent: number; ready: number; inFlightBatches: number; buffered: number } {
    return { ...this.sender.stats(), buffered: this.accumulator.buffered };
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { topic, messages, ...settings } = record;
    return this.sendBatch({ topicMessages: [{ topic, messages }], ...settings });
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (this.state !== 'connected') {
      throw new RaftkaError(this.state === 'new' ? 'The producer is not connected'
        : 'The producer is disconnected');
    }
    const settings = this.settingsOf(batch);
    const topics = [...new Set(batch.topicMessages.map((t) => t.topic))];
    for (const topic of topics) {
      if (typeof topic !== 'string' || topic === '') {
        throw new RaftkaError(`Invalid topic: ${String(topic)}`);
      }
    }
    await this.ensureMetadata(topics);
    const now = Date.now();
    const placed: { topic: string; partition: number;
      item: ReturnType<typeof toBatchRecord> }[] = [];
    let totalBytes = 0;
    for (const { topic, messages } of batch.topicMessages) {
      if (!Array.isArray(messages)) throw new RaftkaError(`Invalid messages for topic ${topic}`);
      for (const message of messages) {
        const item = toBatchRecord(topic, message, now);
        placed.push({ topic, partition: this.partitionOf(topic, message), item });
        totalBytes += item.sizeBytes;
      }
    }
    await this.accumulator.reserve(totalBytes);
    const send = new SendState();
    for (const { topic, partition, item } of placed) {
      this.accumulator.append(topic, partition, item.record, item.sizeBytes, send, settings);
    }
    send.seal();
    return send.promise;
  }

  private settingsOf(batch: ProducerBatch):
    { acks: Acks; timeoutMs: number; compression: CompressionName } {
    const acks = batch.acks ?? this.defaultAcks;
    if (!acksSchema.safeParse(acks).success) {
      throw new RaftkaError(`Invalid acks ${String(acks)}: use -1, 0 or 1`);
    }
    const timeoutMs = batch.timeout ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 2 ** 31 - 1) {
      throw new RaftkaError(`Invalid timeout ${String(timeoutMs)}`);
    }
    const compression = batch.compression ?? CompressionTypes.None;
    if (compression !== CompressionTypes.None && compression !== CompressionTypes.GZIP) {
      throw new RaftkaError(`Compression codec ${String(compression)} is not supported ` +
        '(only None and GZIP are built in)');
    }
    return { acks, timeoutMs,
      compression: compression === CompressionTypes.GZIP ? 'gzip' : 'none' };
  }

  /** Loads metadata for topics not cached, failed or older than metadataMaxAge. */
  private async ensureMetadata(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((topic) => {
      const metadata = this.cluster.topicMetadata(topic);
      return metadata === undefined || metadata.errorCode !== 0 ||
        metadata.partitions.length === 0 ||
        this.cluster.topicMetadataAgeMs(topic) > this.metadataMaxAgeMs;
    });
    if (missing.length === 0) return;
    await withRetry(this.retry, async () => {
      const response = await this.cluster.refreshMetadata(missing,
        { allowAutoTopicCreation: this.allowAutoTopicCreation });
      for (const topic of response.topics) {
        if (topic.errorCode !== 0) throw new RaftkaTopicError(topic.name, topic.errorCode);
        if (topic.partitions.length === 0) {
          throw new RaftkaTopicError(topic.name, ErrorCode.LEADER_NOT_AVAILABLE,
            'The topic has no partitions yet',
            { retriable: true });
        }
      }
    });
  }

  private partitionOf(topic: string, message: Message): number {
    const metadata = this.cluster.topicMetadata(topic);
    const count = metadata?.partitions.length ?? 0;
    let partition = message.partition;
    if (partition === undefined || partition === null) {
      partition = this.partitioner({
        topic, partitionMetadata: this.partitionerView(metadata!), message,
      });
    }
    if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
      throw new RaftkaError(`Invalid partition ${String(partition)} for topic ${topic} ` +
        `(it has ${count} partitions)`);
    }
    return partition;
  }

  /** KafkaJS's partition metadata shape, built once per metadata answer. */
  private partitionerView(metadata: TopicMetadata): PartitionerPartitionMetadata[] {
    let view = this.partitionerViews.get(metadata);
    if (view === undefined) {
      view = metadata.partitions.map((p) => ({
        partitionErrorCode: p.errorCode, partitionId: p.partitionIndex, leader: p.leader,
        replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas,
      }));
      this.partitionerViews.set(metadata, view);
    }
    return view;
  }
}
