/**
 * The consumer for explicitly assigned partitions (consumer groups come later): assign() or
 * subscribe(), seek(), run() with eachMessage/eachBatch or messages() as an async iterator,
 * pause()/resume(), stop(), disconnect(). Shaped like KafkaJS's consumer.
 *
 * The fetch loop (one per run):
 *   1. refresh metadata when it is stale; resolve partitions without a position with
 *      ListOffsets (earliest or latest: autoOffsetReset, or subscribe's fromBeginning);
 *   2. for every leader with no fetch outstanding, send ONE Fetch covering all of its fetchable
 *      partitions (assigned, not paused, not backing off), long-polling with minBytes and
 *      maxWaitTimeInMs;
 *   3. decode the answer, hand each partition's messages to the handler, and only then let
 *      that broker be fetched from again. So at most one fetch per broker is outstanding and
 *      buffered data is at most one answer (maxBytes) per broker: backpressure and bounded
 *      memory come from the handler's pace.
 * Errors: OFFSET_OUT_OF_RANGE resets the partition (autoOffsetReset); NOT_LEADER_OR_FOLLOWER
 * and other stale-metadata codes, lost connections and timeouts refresh metadata and back off
 * (retry.ts delays). A handler that throws is retried from the failed message after a backoff;
 * after retry.retries failures in a row the consumer crashes: it stops and emits
 * 'consumer.crash' (messages() rejects with the error).
 * seek() takes effect at once: a fetch in the air for that partition is discarded when it
 * returns, and a batch being handled stops before its next message.
 * stop() and disconnect() wait for the handlers in progress, so a handler must not await them
 * (call them without awaiting, or use pause()).
 */
import { EventEmitter } from 'node:events';
import { assert } from '../../lib/assert.js';
import { ErrorCode, errorInfo } from '../../protocol/error-codes.js';
import type { FetchResponse } from '../../protocol/apis/fetch.js';
import { RecordBatchError } from '../../protocol/records/index.js';
import type { Cluster } from '../cluster.js';
import { RaftkaError, RaftkaProtocolError, RaftkaTopicError } from '../errors.js';
import { retryDelayMs, withRetry } from '../retry.js';
import { decodeFetched } from './decode.js';
import { deliver } from './deliver.js';
import type { Delivery, DeliveryHost } from './deliver.js';
import { ChannelClosed, MessageChannel } from './message-channel.js';
import {
  checkConsumerConfig, fetchRequest, parseOffset,
} from './state.js';
import type { PartitionState, ResolvedConsumerConfig } from './state.js';
import { Assignment } from './assignment.js';
import { ConsumerEvents } from './types.js';
import { Wakeup } from './wakeup.js';
import type {
  ConsumerConfig, ConsumerRunConfig, EachMessagePayload, SeekOptions, TopicPartitions,
  TopicPartitionsPause,
} from './types.js';

/** The client waits this much beyond the broker's long-poll time before giving up. */
const RESPONSE_MARGIN_MS = 1_000;

export class Consumer implements DeliveryHost {
  readonly events = ConsumerEvents;
  private readonly config: ResolvedConsumerConfig;
  private readonly emitter = new EventEmitter();
  private readonly assigned = new Assignment();
  private state: 'new' | 'connected' | 'disconnected' = 'new';
  private runId = 0;
  private running = false;
  private runConfig: ConsumerRunConfig | undefined;
  private loopDone: Promise<void> | undefined;
  /** The outstanding fetch per broker (Invariant: at most one per broker). */
  private readonly fetching = new Map<number, Promise<void>>();
  /** Handlers running now; stop() waits for them. */
  private readonly processing = new Set<Promise<void>>();
  private metadataStale = true;
  private prepareNotBeforeMs = 0;
  private readonly wakeup = new Wakeup();
  private channel: MessageChannel | undefined;
  private fetchesSent = 0;

  constructor(private readonly cluster: Cluster, config: ConsumerConfig = {}) {
    this.config = checkConsumerConfig(config, cluster.config.retry);
  }

  async connect(): Promise<void> {
    if (this.state === 'disconnected') throw new RaftkaError('The consumer is disconnected');
    await withRetry(this.config.retry, () => this.cluster.refreshMetadata([]));
    this.state = 'connected';
  }

  /** Stops and closes the connections. */
  async disconnect(): Promise<void> {
    await this.stop();
    this.state = 'disconnected';
    await this.cluster.disconnect();
  }

  /**
   * Replaces the assignment (Java's assign()). Partitions kept keep their position; new ones
   * start at autoOffsetReset unless seek() says otherwise.
   */
  assign(topicPartitions: readonly TopicPartitions[]): void {
    this.assigned.replace(topicPartitions, this.config.autoOffsetReset);
    this.wakeup.wake();
  }

  /**
   * Adds every partition of the topics (as they are now) to the assignment, starting at the
   * earliest offset with fromBeginning and at the latest otherwise. There is no group: each
   * consumer reads all partitions, and partitions added later are not picked up.
   */
  async subscribe(subscription: { topic?: string; topics?: readonly string[];
    fromBeginning?: boolean }): Promise<void> {
    const topics = [...(subscription.topics ?? []), ...(subscription.topic === undefined ? []
      : [subscription.topic])];
    if (topics.length === 0 || topics.some((t) => typeof t !== 'string' || t === '')) {
      throw new RaftkaError('subscribe needs topic names (regular expressions are not supported)');
    }
    const response = await withRetry(this.config.retry, async () => {
      const metadata = await this.cluster.refreshMetadata(topics);
      for (const topic of metadata.topics) {
        if (topic.errorCode !== 0) throw new RaftkaTopicError(topic.name, topic.errorCode);
      }
      return metadata;
    });
    const current = this.assigned.list();
    for (const topic of response.topics) {
      const partitions = topic.partitions.map((p) => p.partitionIndex);
      current.push({ topic: topic.name, partitions });
    }
    this.assigned.replace(current, subscription.fromBeginning === true ? 'earliest' : 'latest');
    this.wakeup.wake();
  }

  /** The assigned partitions (Java's assignment()). */
  assignment(): TopicPartitions[] {
    return this.assigned.list();
  }

  /** Moves a partition's position; 'earliest'/'latest' are resolved before the next fetch. */
  seek({ topic, partition, offset }: SeekOptions): void {
    const state = this.assigned.get(topic, partition);
    state.generation += 1;
    state.notBeforeMs = 0;
    if (offset === 'earliest' || offset === 'latest') {
      state.position = undefined;
      state.reset = offset;
    } else {
      state.position = parseOffset(offset);
    }
    this.wakeup.wake();
  }

  /** Seeks to the first offset whose timestamp is at or after `timestamp` (ListOffsets); to
   *  the end of the log when there is none. */
  async seekToTimestamp({ topic, partition, timestamp }:
    { topic: string; partition: number; timestamp: number | string }): Promise<void> {
    const state = this.assigned.get(topic, partition);
    const ms = parseOffset(timestamp);
    const offset = await withRetry(this.config.retry, async () => {
      if (this.metadataStale || this.leaderOf(state) === undefined) {
        await this.cluster.refreshMetadata(this.assigned.topics());
      }
      const found = await this.listOffset(state, ms);
      return found >= 0 ? found : this.listOffset(state, -1);
    });
    if (this.assigned.find(topic, partition) !== state) return;
    state.generation += 1;
    state.position = offset;
    state.notBeforeMs = 0;
    this.wakeup.wake();
  }

  /** The next offset to be consumed, or null while it is being resolved. */
  position({ topic, partition }: { topic: string; partition: number }): string | null {
    const position = this.assigned.get(topic, partition).position;
    return position === undefined ? null : String(position);
  }

  pause(topicPartitions: readonly TopicPartitionsPause[]): void {
    for (const state of this.assigned.select(topicPartitions)) state.paused = true;
  }

  resume(topicPartitions: readonly TopicPartitionsPause[]): void {
    for (const state of this.assigned.select(topicPartitions)) state.paused = false;
    this.wakeup.wake();
  }

  paused(): TopicPartitions[] {
    return this.assigned.list((state) => state.paused);
  }

  /** Starts the fetch loop and resolves once it runs (KafkaJS). */
  async run(config: ConsumerRunConfig = {}): Promise<void> {
    if (this.state !== 'connected') throw new RaftkaError('The consumer is not connected');
    if (this.running) throw new RaftkaError('The consumer is already running');
    if ((config.eachMessage === undefined) === (config.eachBatch === undefined)) {
      throw new RaftkaError('run needs exactly one of eachMessage and eachBatch');
    }
    const concurrency = config.partitionsConsumedConcurrently ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RaftkaError('partitionsConsumedConcurrently must be a positive integer');
    }
    this.runConfig = config;
    this.running = true;
    this.runId += 1;
    const runId = this.runId;
    this.loopDone = this.loop(runId).catch((error: unknown) => this.crash(error));
  }

  /**
   * The messages of the assignment as an async iterator (instead of run()): the next message
   * is fetched and delivered once the loop body asks for it. Breaking out of the loop stops
   * the consumer.
   */
  messages(options: { partitionsConsumedConcurrently?: number } = {}):
    AsyncIterableIterator<EachMessagePayload> {
    const channel = new MessageChannel(() => this.stop());
    this.channel = channel;
    void this.run({ eachMessage: channel.handler, ...options }).catch((error: unknown) => {
      channel.fail(error instanceof Error ? error : new RaftkaError(String(error)));
    });
    return channel;
  }

  /** Stops fetching and waits for handlers in progress; fetches in the air are dropped. */
  async stop(): Promise<void> {
    if (!this.running) {
      await this.loopDone;
      return;
    }
    this.running = false;
    this.runId += 1;
    this.channel?.close();
    this.channel = undefined;
    this.wakeup.clear();
    this.wakeup.wake();
    await this.loopDone;
    await Promise.all([...this.processing]);
    this.emitter.emit(ConsumerEvents.STOP, { type: ConsumerEvents.STOP, payload: {} });
  }

  /** Subscribes to 'consumer.crash', 'consumer.stop' or 'consumer.fetch'; returns a remover. */
  on(event: string, listener: (event: { type: string; payload: unknown }) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Fetch requests sent so far (for tests and monitoring). */
  stats(): { fetchesSent: number; fetchesOutstanding: number } {
    return { fetchesSent: this.fetchesSent, fetchesOutstanding: this.fetching.size };
  }

  // DeliveryHost: used by deliver.ts while handlers run.
  isCurrent(runId: number): boolean {
    return this.running && this.runId === runId;
  }

  isAssigned(state: PartitionState): boolean {
    return this.assigned.has(state);
  }

  handlerFailed(state: PartitionState, error: unknown): void {
    if (error instanceof ChannelClosed) return;
    state.handlerFailures += 1;
    if (state.handlerFailures > this.config.retry.retries) {
      this.crash(error);
      return;
    }
    this.backoff(state, state.handlerFailures - 1);
  }

  pauseOne(state: PartitionState): () => void {
    state.paused = true;
    return () => {
      state.paused = false;
      this.wakeup.wake();
    };
  }

  private async loop(runId: number): Promise<void> {
    while (this.isCurrent(runId)) {
      await this.prepare();
      if (!this.isCurrent(runId)) break;
      this.startFetches(runId);
      await this.wakeup.wait();
    }
  }

  /** Refreshes stale metadata and resolves partitions that have no position. */
  private async prepare(): Promise<void> {
    const now = Date.now();
    if (now < this.prepareNotBeforeMs) return;
    const topics = this.assigned.topics();
    const stale = this.metadataStale || topics.some((topic) =>
      this.cluster.topicMetadataAgeMs(topic) > this.config.metadataMaxAgeMs);
    if (stale && topics.length > 0) {
      try {
        await this.cluster.refreshMetadata(topics);
        this.metadataStale = false;
      } catch (error) {
        if (!(error instanceof RaftkaError)) throw error;
        this.prepareNotBeforeMs = now + retryDelayMs(this.config.retry, 0);
        this.wakeup.at(this.prepareNotBeforeMs);
        return;
      }
    }
    const resets = [...this.assigned.values()].filter((s) =>
      s.position === undefined && !s.paused && s.notBeforeMs <= now);
    await Promise.all(resets.map((state) => this.resetPosition(state)));
  }

  private async resetPosition(state: PartitionState): Promise<void> {
    const generation = state.generation;
    try {
      const offset = await this.listOffset(state, state.reset === 'earliest' ? -2 : -1);
      if (state.generation === generation && state.position === undefined) {
        state.position = offset;
      }
    } catch (error) {
      if (!(error instanceof RaftkaError)) throw error;
      this.partitionError(state, error);
    }
  }

  /** ListOffsets for one partition at its leader; throws RaftkaError on any failure. */
  private async listOffset(state: PartitionState, timestamp: number): Promise<number> {
    const leader = this.leaderOf(state);
    if (leader === undefined) {
      this.metadataStale = true;
      throw new RaftkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE);
    }
    const response = await leader.connection.request('ListOffsets', {
      replicaId: -1, isolationLevel: 0, topics: [{ name: state.topic, partitions: [
        { partitionIndex: state.partition, currentLeaderEpoch: -1, timestamp }] }],
    });
    const result = response.topics.find((t) => t.name === state.topic)?.partitions
      .find((p) => p.partitionIndex === state.partition);
    if (result === undefined) throw new RaftkaError('ListOffsets answer lacks the partition');
    if (result.errorCode !== ErrorCode.NONE) {
      const error = new RaftkaProtocolError(result.errorCode);
      if (errorInfo(result.errorCode).invalidMetadata) this.metadataStale = true;
      throw error;
    }
    return result.offset;
  }

  private startFetches(runId: number): void {
    const now = Date.now();
    const byLeader = new Map<number, PartitionState[]>();
    for (const state of this.assigned.values()) {
      if (state.paused || state.position === undefined) continue;
      if (state.notBeforeMs > now) {
        this.wakeup.at(state.notBeforeMs);
        continue;
      }
      const leader = this.leaderOf(state);
      if (leader === undefined) {
        this.metadataStale = true;
        this.backoff(state, 0);
        continue;
      }
      if (this.fetching.has(leader.nodeId)) continue;
      const list = byLeader.get(leader.nodeId);
      if (list === undefined) byLeader.set(leader.nodeId, [state]);
      else list.push(state);
    }
    for (const [nodeId, states] of byLeader) {
      const task = this.fetchOnce(runId, nodeId, states)
        .catch((error: unknown) => this.crash(error))
        .finally(() => {
          this.fetching.delete(nodeId);
          this.wakeup.wake();
        });
      this.fetching.set(nodeId, task);
    }
  }

  private async fetchOnce(runId: number, nodeId: number, states: PartitionState[]) {
    const connection = this.cluster.nodeConnection(nodeId);
    assert(connection !== undefined, 'fetches go to brokers that metadata names');
    const sent = new Map(states.map((s) => [s, { generation: s.generation, offset: s.position! }]));
    let response: FetchResponse;
    try {
      this.fetchesSent += 1;
      response = await connection.request('Fetch', fetchRequest(this.config, states), {
        timeoutMs: this.cluster.config.requestTimeoutMs + this.config.maxWaitTimeInMs +
          RESPONSE_MARGIN_MS,
      });
    } catch (error) {
      if (!(error instanceof RaftkaError)) throw error;
      if (this.isCurrent(runId)) for (const state of states) this.partitionError(state, error);
      return;
    }
    if (!this.isCurrent(runId)) return;
    if (response.errorCode !== ErrorCode.NONE) {
      const error = new RaftkaProtocolError(response.errorCode);
      for (const state of states) this.partitionError(state, error);
      return;
    }
    const deliveries = this.collect(response, sent);
    this.emitter.emit(ConsumerEvents.FETCH, { type: ConsumerEvents.FETCH,
      payload: { nodeId, partitions: states.length, deliveries: deliveries.length } });
    const handling = this.deliverAll(runId, deliveries);
    this.processing.add(handling);
    try {
      await handling;
    } finally {
      this.processing.delete(handling);
    }
  }

  /** The answer's partitions still wanted (same seek generation), decoded. */
  private collect(response: FetchResponse,
    sent: Map<PartitionState, { generation: number; offset: number }>): Delivery[] {
    const deliveries: Delivery[] = [];
    for (const topic of response.topics) {
      for (const result of topic.partitions) {
        const state = this.assigned.find(topic.name, result.partitionIndex);
        const request = state === undefined ? undefined : sent.get(state);
        if (state === undefined || request === undefined ||
          request.generation !== state.generation) continue;
        if (result.errorCode !== ErrorCode.NONE) {
          this.partitionError(state, new RaftkaProtocolError(result.errorCode));
          continue;
        }
        state.highWatermark = result.highWatermark;
        let decoded;
        try {
          decoded = decodeFetched(result.records, request.offset);
        } catch (error) {
          if (!(error instanceof RecordBatchError)) throw error;
          throw new RaftkaProtocolError(ErrorCode.CORRUPT_MESSAGE,
            `${state.topic}-${state.partition}: ${error.message}`, { retriable: false });
        }
        if (decoded.messages.length === 0) {
          if (decoded.nextOffset !== undefined && decoded.nextOffset > request.offset) {
            state.position = decoded.nextOffset;
          }
          continue;
        }
        deliveries.push({ state, generation: request.generation, ...decoded,
          highWatermark: result.highWatermark });
      }
    }
    return deliveries;
  }

  /** Hands the deliveries to the handler, partitionsConsumedConcurrently at a time. */
  private async deliverAll(runId: number, deliveries: readonly Delivery[]): Promise<void> {
    const config = this.runConfig;
    assert(config !== undefined, 'deliveries happen inside run()');
    const concurrency = Math.min(config.partitionsConsumedConcurrently ?? 1, deliveries.length);
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        await deliver(this, config, runId, delivery);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private partitionError(state: PartitionState, error: RaftkaError): void {
    if (error instanceof RaftkaProtocolError && error.code === ErrorCode.OFFSET_OUT_OF_RANGE) {
      state.position = undefined;
      return;
    }
    if (!error.retriable) {
      this.crash(error);
      return;
    }
    if (!(error instanceof RaftkaProtocolError) || errorInfo(error.code).invalidMetadata) {
      this.metadataStale = true;
    }
    this.backoff(state, 0);
  }

  private backoff(state: PartitionState, retryCount: number): void {
    state.notBeforeMs = Date.now() + retryDelayMs(this.config.retry, retryCount);
    this.wakeup.at(state.notBeforeMs);
  }

  private crash(error: unknown): void {
    if (!(error instanceof Error) || error.name === 'AssertionFailure') throw error;
    if (!this.running) return;
    this.running = false;
    this.runId += 1;
    this.wakeup.clear();
    this.wakeup.wake();
    this.channel?.fail(error);
    this.channel = undefined;
    this.emitter.emit(ConsumerEvents.CRASH, { type: ConsumerEvents.CRASH,
      payload: { error, groupId: this.config.groupId } });
  }

  private leaderOf(state: PartitionState) {
    const partitions = this.cluster.topicMetadata(state.topic)?.partitions ?? [];
    const partition = partitions.find((p) => p.partitionIndex === state.partition);
    if (partition === undefined || partition.leader < 0) return undefined;
    const connection = this.cluster.nodeConnection(partition.leader);
    return connection === undefined ? undefined : { nodeId: partition.leader, connection };
  }
}
