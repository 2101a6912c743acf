/**
 * The sender: takes closed batches, groups them by partition leader into Produce requests and
 * settles them from the answers.
 *
 * - One request per leader carries the ready batches of many partitions (all sends of a
 *   linger window); several batches of one partition travel concatenated in one `records`
 *   field, so the broker assigns them consecutive offsets. A request grows to maxRequestBytes
 *   at most (Java's max.request.size), always taking at least one batch, and to
 *   MAX_PRODUCE_PARTITIONS_PER_REQUEST partitions, so it stays under the broker's bound on
 *   msgpack elements per Produce frame.
 * - At most maxInFlightRequests Produce requests are unanswered per broker (Java's
 *   max.in.flight.requests.per.connection); ready batches wait for a slot.
 * - Retriable failures (a retriable per-partition code, a lost connection, a timeout) put the
 *   batch back with exponential backoff (retry.ts's delays), its encoded bytes unchanged; codes
 *   that mean "metadata is stale" (NOT_LEADER_OR_FOLLOWER, a lost connection...) refresh
 *   metadata first, so the resend goes to the new leader. As with Kafka's non-idempotent
 *   producer, a retry after a timeout may write the records twice.
 * - acks=0 requests get no response: a batch succeeds once its request is written, with
 *   baseOffset -1.
 */
import { errorInfo, ErrorCode } from '../../protocol/error-codes.js';
import { MAX_PRODUCE_PARTITIONS_PER_REQUEST } from '../../protocol/limits.js';
import type { ProduceRequest, ProduceResponse } from '../../protocol/apis/produce.js';
import type { Cluster } from '../cluster.js';
import type { BrokerConnection } from '../connection.js';
import {
  RaftkaConnectionError, RaftkaError, RaftkaNumberOfRetriesExceeded, RaftkaProtocolError,
  RaftkaRequestTimeoutError,
} from '../errors.js';
import { retryDelayMs } from '../retry.js';
import type { RetryOptions } from '../retry.js';
import type { PartitionBatch } from './batch.js';

/** The client waits this much longer than the broker's own timeout (see admin.ts). */
const RESPONSE_MARGIN_MS = 1_000;

export interface SenderOptions {
  readonly maxInFlightRequests: number;
  readonly maxRequestBytes: number;
  readonly retry: RetryOptions;
  readonly allowAutoTopicCreation: boolean;
}

/** Batches of one request, by topic then partition, in sending order. */
interface PlannedRequest {
  readonly nodeId: number;
  readonly connection: BrokerConnection;
  readonly acks: PartitionBatch['acks'];
  readonly byPartition: Map<string, PartitionBatch[]>;
  bytes: number;
  timeoutMs: number;
}

/** Whether `request` may take a batch of partition `key` without exceeding the partition cap. */
function roomFor(request: PlannedRequest, key: string): boolean {
  return request.byPartition.has(key) ||
    request.byPartition.size < MAX_PRODUCE_PARTITIONS_PER_REQUEST;
}

export interface SenderStats {
  readonly requestsSent: number;
  readonly ready: number;
  readonly inFlightBatches: number;
}

export class Sender {
  // Invariant: sorted by sequence, so retried batches keep their place in line.
  private ready: PartitionBatch[] = [];
  private readonly inFlightByNode = new Map<number, number>();
  private inFlightBatches = 0;
  private metadataStale = false;
  private refreshing = false;
  private drainScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAtMs = Infinity;
  private idleWaiters: (() => void)[] = [];
  private requestsSent = 0;
  private closedWith: RaftkaError | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: SenderOptions,
    /** Called once per batch when it settles, before its sends hear of it. */
    private readonly settled: (batch: PartitionBatch) => void,
  ) {}

  stats(): SenderStats {
    return {
      requestsSent: this.requestsSent, ready: this.ready.length,
      inFlightBatches: this.inFlightBatches,
    };
  }

  enqueue(batch: PartitionBatch): void {
    if (this.closedWith !== undefined) {
      this.finish(batch, this.closedWith);
      return;
    }
    this.insert(batch);
    this.scheduleDrain();
  }

  /** Resolves when no batch is waiting or in the air. */
  idle(): Promise<void> {
    if (this.ready.length === 0 && this.inFlightBatches === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Fails every waiting batch with `error`; answers to requests in the air still count. */
  close(error: RaftkaError): void {
    this.closedWith = error;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const waiting = this.ready;
    this.ready = [];
    for (const batch of waiting) this.finish(batch, error);
  }

  private insert(batch: PartitionBatch): void {
    let index = this.ready.length;
    while (index > 0 && this.ready[index - 1]!.sequence > batch.sequence) index -= 1;
    this.ready.splice(index, 0, batch);
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    queueMicrotask(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.closedWith !== undefined || this.refreshing || this.ready.length === 0) return;
    if (this.metadataStale) {
      void this.refreshMetadata();
      return;
    }
    const now = Date.now();
    const requests: PlannedRequest[] = [];
    const waiting: PartitionBatch[] = [];
    let nextRetryMs = Infinity;
    for (const batch of this.ready) {
      if (batch.notBeforeMs > now) {
        nextRetryMs = Math.min(nextRetryMs, batch.notBeforeMs);
        waiting.push(batch);
        continue;
      }
      const leader = this.leaderOf(batch);
      if (leader === undefined) {
        this.retryOrFail(batch, new RaftkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE), waiting);
        nextRetryMs = Math.min(nextRetryMs, batch.notBeforeMs);
        continue;
      }
      if (!this.plan(batch, leader, requests)) waiting.push(batch);
    }
    this.ready = waiting;
    for (const request of requests) void this.send(request);
    this.armRetryTimer(nextRetryMs);
    this.checkIdle();
  }

  /** Adds `batch` to a request for its leader; false when that broker has no free slot. */
  private plan(batch: PartitionBatch, leader: { nodeId: number; connection: BrokerConnection },
    requests: PlannedRequest[]): boolean {
    const size = batch.bytes!.byteLength;
    const key = `${batch.topic}\u0000${batch.partition}`;
    let open: PlannedRequest | undefined;
    let planned = 0;
    for (const request of requests) {
      if (request.nodeId !== leader.nodeId) continue;
      planned += 1;
      if (request.acks === batch.acks &&
        request.bytes + size <= this.options.maxRequestBytes && roomFor(request, key)) {
        open = request;
      }
    }
    if (open === undefined) {
      const inFlight = (this.inFlightByNode.get(leader.nodeId) ?? 0) + planned;
      if (inFlight >= this.options.maxInFlightRequests) return false;
      open = { nodeId: leader.nodeId, connection: leader.connection, acks: batch.acks,
        byPartition: new Map(), bytes: 0, timeoutMs: 0 };
      requests.push(open);
    }
    const list = open.byPartition.get(key);
    if (list === undefined) open.byPartition.set(key, [batch]);
    else list.push(batch);
    open.bytes += size;
    open.timeoutMs = Math.max(open.timeoutMs, batch.timeoutMs);
    return true;
  }

  private leaderOf(batch: PartitionBatch):
    { nodeId: number; connection: BrokerConnection } | undefined {
    const partitions = this.cluster.topicMetadata(batch.topic)?.partitions ?? [];
    const direct = partitions[batch.partition];
    const partition = direct?.partitionIndex === batch.partition ? direct
      : partitions.find((p) => p.partitionIndex === batch.partition);
    if (partition === undefined || partition.leader < 0) return undefined;
    const connection = this.cluster.nodeConnection(partition.leader);
    return connection === undefined ? undefined : { nodeId: partition.leader, connection };
  }

  private async send(request: PlannedRequest): Promise<void> {
    const { nodeId, connection } = request;
    const groups = [...request.byPartition.values()];
    this.inFlightByNode.set(nodeId, (this.inFlightByNode.get(nodeId) ?? 0) + 1);
    for (const group of groups) this.inFlightBatches += group.length;
    this.requestsSent += 1;
    try {
      const payload = producePayload(request, groups);
      if (request.acks === 0) {
        await connection.sendOnly('Produce', payload);
        for (const group of groups) this.groupSucceeded(group, -1, -1, -1);
      } else {
        const timeoutMs = Math.max(this.cluster.config.requestTimeoutMs,
          request.timeoutMs + RESPONSE_MARGIN_MS);
        const response = await connection.request('Produce', payload, { timeoutMs });
        this.settleFromResponse(request, response);
      }
    } catch (error) {
      if (!(error instanceof RaftkaError)) throw error;
      for (const group of groups) for (const batch of group) this.retryOrFail(batch, error);
    } finally {
      this.inFlightByNode.set(nodeId, (this.inFlightByNode.get(nodeId) ?? 1) - 1);
      for (const group of groups) this.inFlightBatches -= group.length;
      this.scheduleDrain();
      this.checkIdle();
    }
  }

  private settleFromResponse(request: PlannedRequest, response: ProduceResponse): void {
    const answered = new Set<string>();
    for (const topic of response.topics) {
      for (const result of topic.partitions) {
        const key = `${topic.name}\u0000${result.partitionIndex}`;
        const group = request.byPartition.get(key);
        if (group === undefined || answered.has(key)) continue;
        answered.add(key);
        if (result.errorCode === ErrorCode.NONE) {
          this.groupSucceeded(group, result.baseOffset, result.logAppendTimeMs,
            result.logStartOffset);
        } else {
          const error = new RaftkaProtocolError(result.errorCode, result.errorMessage);
          for (const batch of group) this.retryOrFail(batch, error);
        }
      }
    }
    for (const [key, group] of request.byPartition) {
      if (answered.has(key)) continue;
      const error = new RaftkaError(`The Produce response has no result for partition ` +
        `${key.replace('\u0000', '-')}`, { retriable: false });
      for (const batch of group) this.retryOrFail(batch, error);
    }
  }

  private groupSucceeded(group: readonly PartitionBatch[], baseOffset: number,
    logAppendTimeMs: number, logStartOffset: number): void {
    let offset = baseOffset;
    for (const batch of group) {
      this.settled(batch);
      batch.succeeded(offset, logAppendTimeMs, logStartOffset);
      if (offset >= 0) offset += batch.recordCount;
    }
  }

  /** Puts `batch` back for a retry, or settles it with the error when that is final. */
  private retryOrFail(batch: PartitionBatch, error: RaftkaError,
    into: PartitionBatch[] | undefined = undefined): void {
    if (this.closedWith !== undefined) {
      this.finish(batch, this.closedWith);
      return;
    }
    if (!error.retriable || batch.attempts >= this.options.retry.retries) {
      this.finish(batch, error.retriable
        ? new RaftkaNumberOfRetriesExceeded(error, batch.attempts, 0) : error);
      return;
    }
    const waitMs = retryDelayMs(this.options.retry, batch.attempts);
    batch.attempts += 1;
    batch.notBeforeMs = Date.now() + waitMs;
    if (staleMetadata(error)) this.metadataStale = true;
    if (into !== undefined) into.push(batch);
    else {
      this.insert(batch);
      this.armRetryTimer(batch.notBeforeMs);
    }
  }

  private finish(batch: PartitionBatch, error: RaftkaError): void {
    this.settled(batch);
    batch.failed(error);
    this.checkIdle();
  }

  private async refreshMetadata(): Promise<void> {
    this.refreshing = true;
    const topics = [...new Set(this.ready.map((batch) => batch.topic))];
    try {
      await this.cluster.refreshMetadata(topics,
        { allowAutoTopicCreation: this.options.allowAutoTopicCreation });
      this.metadataStale = false;
    } catch (error) {
      if (!(error instanceof RaftkaError)) throw error;
      const waiting = this.ready;
      this.ready = [];
      for (const batch of waiting) this.retryOrFail(batch, error, this.ready);
      this.ready.sort((a, b) => a.sequence - b.sequence);
      this.armRetryTimer(Math.min(...this.ready.map((b) => b.notBeforeMs)));
    } finally {
      this.refreshing = false;
    }
    this.scheduleDrain();
  }

  /** Drains again at `atMs`, unless a drain is already due earlier. */
  private armRetryTimer(atMs: number): void {
    if (!Number.isFinite(atMs) || this.closedWith !== undefined) return;
    if (this.retryTimer !== undefined && this.retryAtMs <= atMs) return;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryAtMs = atMs;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.scheduleDrain();
    }, Math.max(0, atMs - Date.now()));
  }

  private checkIdle(): void {
    if (this.ready.length > 0 || this.inFlightBatches > 0) return;
    const waiters = this.idleWaiters.splice(0);
    for (const wake of waiters) wake();
  }
}

/** True when the error suggests the client's view of leaders is out of date. */
function staleMetadata(error: RaftkaError): boolean {
  if (error instanceof RaftkaProtocolError) return errorInfo(error.code).invalidMetadata;
  return error instanceof RaftkaConnectionError || error instanceof RaftkaRequestTimeoutError;
}

function producePayload(request: PlannedRequest, groups: readonly PartitionBatch[][]):
  ProduceRequest {
  const topics = new Map<string, ProduceRequest['topics'][number]>();
  for (const group of groups) {
    const first = group[0]!;
    let topic = topics.get(first.topic);
    if (topic === undefined) {
      topic = { name: first.topic, partitions: [] };
      topics.set(first.topic, topic);
    }
    const records = group.length === 1 ? first.bytes!
      : Buffer.concat(group.map((batch) => batch.bytes!));
    topic.partitions.push({ partitionIndex: first.partition, records });
  }
  return { acks: request.acks, timeoutMs: request.timeoutMs, topics: [...topics.values()] };
}
