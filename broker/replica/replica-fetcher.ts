/**
 * One replica fetcher per source broker (Kafka's ReplicaFetcherThread): a WebSocket to the
 * leader's inter-broker listener speaking protocol/ frames, and one Fetch in flight at a time
 * covering the partitions this broker follows from that leader (at most
 * MAX_PARTITIONS_PER_FETCH per request, rotating when there are more).
 *
 * Each request names replicaId = this broker, replicaEpoch = its broker epoch, and per
 * partition currentLeaderEpoch, fetchOffset = the log end and lastFetchedEpoch = the log's
 * latest epoch, so the leader can detect divergence (KIP-595). follower-apply.ts handles each
 * answer. A partition whose answer was an error waits PARTITION_ERROR_BACKOFF_MS (metadata will
 * usually move it). A lost connection is re-opened with a doubling, bounded backoff, looking
 * the leader's endpoint up again. The fetcher stops when it has no partitions left.
 *
 * A partition's role, leader or epoch may change while a fetch is in flight: its answer is
 * then ignored, since the log may have moved on.
 */
import { WebSocket } from 'ws';
import { AssertionFailure } from '../../lib/assert.js';
import { connect } from '../../lib/connector.js';
import {
  decodeResponse, encodeRequest, ErrorCode, IsolationLevel, parseResponse,
  type FetchRequest, type FetchResponse,
} from '../../protocol/index.js';
import type { PartitionLog } from '../log/index.js';
import { applyFetchedPartition } from './follower-apply.js';
import {
  FETCHER_BACKOFF_MAX_MS, FETCHER_BACKOFF_MIN_MS, MAX_PARTITIONS_PER_FETCH,
  PARTITION_ERROR_BACKOFF_MS, REPLICA_FETCH_MIN_BYTES, REPLICA_FETCH_PARTITION_MAX_BYTES,
  REPLICA_FETCH_RESPONSE_MAX_BYTES, REPLICA_FETCH_WAIT_MAX_MS, REPLICA_SOCKET_TIMEOUT_MS,
} from './limits.js';
import { partitionKey, Role, type Partition } from './partition.js';

export interface FetcherContext {
  readonly brokerId: number;
  readonly brokerEpoch: () => number;
  /** The leader's inter-broker endpoint from the image; undefined while unknown. */
  readonly endpointOf: (brokerId: number) => { host: string; port: number } | undefined;
  readonly openLog: (p: Partition) => Promise<PartitionLog | undefined>;
  readonly maxFrameBytes: number;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
}

interface Followed {
  readonly partition: Partition;
  retryAtMs: number;
}

/** What one partition of a request was sent with. */
interface Sent {
  readonly followed: Followed;
  readonly log: PartitionLog;
  readonly leaderEpoch: number;
  readonly fetchOffset: number;
}

const CONNECT_TIMEOUT_MS = 10_000;

export class ReplicaFetcher {
  readonly leaderId: number;
  readonly #context: FetcherContext;
  readonly #followed = new Map<Partition, Followed>();
  readonly #waiting = new Map<number, (response: FetchResponse | undefined) => void>();
  #socket: WebSocket | undefined;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #nextCorrelationId = 1;
  #cursor = 0;
  #stopped = false;

  constructor(context: FetcherContext, leaderId: number) {
    this.#context = context;
    this.leaderId = leaderId;
  }

  get size(): number {
    return this.#followed.size;
  }

  add(p: Partition): void {
    if (this.#stopped) return;
    this.#followed.set(p, { partition: p, retryAtMs: 0 });
    this.#wake?.();
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
      if (!this.#stopped && this.#followed.size > 0) this.add([...this.#followed.keys()][0]!);
    });
  }

  remove(p: Partition): void {
    this.#followed.delete(p);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#followed.clear();
    this.#wake?.();
    this.#dropSocket();
    await this.#running;
  }

  async #run(): Promise<void> {
    let backoffMs = FETCHER_BACKOFF_MIN_MS;
    while (!this.#stopped && this.#followed.size > 0) {
      const socket = await this.#connect();
      if (socket === undefined) {
        await this.#sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, FETCHER_BACKOFF_MAX_MS);
        continue;
      }
      const sent = await this.#prepare();
      if (this.#stopped) break;
      if (sent.length === 0) {
        await this.#sleep(this.#untilNextRetryMs());
        continue;
      }
      const response = await this.#exchange(socket, this.#request(sent));
      if (response === undefined) {
        this.#dropSocket();
        await this.#sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, FETCHER_BACKOFF_MAX_MS);
        continue;
      }
      backoffMs = FETCHER_BACKOFF_MIN_MS;
      this.#apply(sent, response);
    }
    this.#dropSocket();
  }

  /** The partitions to fetch now, their logs open, in rotating order. */
  async #prepare(): Promise<Sent[]> {
    const nowMs = this.#context.nowMs();
    const all = [...this.#followed.values()];
    const start = all.length === 0 ? 0 : this.#cursor % all.length;
    const picked: Followed[] = [];
    for (let i = 0; i < all.length && picked.length < MAX_PARTITIONS_PER_FETCH; i++) {
      const followed = all[(start + i) % all.length]!;
      if (followed.retryAtMs <= nowMs && this.#follows(followed.partition)) picked.push(followed);
    }
    this.#cursor = start + picked.length;
    const closed = picked.filter((f) => f.partition.log === undefined);
    if (closed.length > 0) {
      await Promise.all(closed.map((f) => this.#context.openLog(f.partition)));
    }
    const sent: Sent[] = [];
    for (const followed of picked) {
      const p = followed.partition;
      const log = p.log;
      if (log === undefined || !this.#follows(p) || !this.#followed.has(p)) continue;
      sent.push({ followed, log, leaderEpoch: p.leaderEpoch, fetchOffset: log.logEndOffset });
    }
    return sent;
  }

  #follows(p: Partition): boolean {
    return !p.stopped && p.role === Role.follower && p.leaderId === this.leaderId;
  }

  #untilNextRetryMs(): number {
    let next = Infinity;
    for (const followed of this.#followed.values()) next = Math.min(next, followed.retryAtMs);
    const waitMs = next - this.#context.nowMs();
    return Math.min(Math.max(waitMs, FETCHER_BACKOFF_MIN_MS), PARTITION_ERROR_BACKOFF_MS);
  }

  #request(sent: readonly Sent[]): FetchRequest {
    const topics = new Map<string, FetchRequest['topics'][number]['partitions']>();
    for (const { followed, log, leaderEpoch, fetchOffset } of sent) {
      const p = followed.partition;
      let partitions = topics.get(p.topicName);
      if (partitions === undefined) topics.set(p.topicName, (partitions = []));
      partitions.push({
        partitionIndex: p.partitionId, currentLeaderEpoch: leaderEpoch, fetchOffset,
        lastFetchedEpoch: log.latestEpoch(), logStartOffset: log.logStartOffset,
        partitionMaxBytes: REPLICA_FETCH_PARTITION_MAX_BYTES,
      });
    }
    return {
      replicaId: this.#context.brokerId, replicaEpoch: this.#context.brokerEpoch(),
      maxWaitMs: REPLICA_FETCH_WAIT_MAX_MS, minBytes: REPLICA_FETCH_MIN_BYTES,
      maxBytes: REPLICA_FETCH_RESPONSE_MAX_BYTES, isolationLevel: IsolationLevel.READ_UNCOMMITTED,
      topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    };
  }

  #apply(sent: readonly Sent[], response: FetchResponse): void {
    const answers = new Map<string, FetchResponse['topics'][number]['partitions'][number]>();
    for (const topic of response.topics) {
      for (const data of topic.partitions) {
        answers.set(partitionKey(topic.name, data.partitionIndex), data);
      }
    }
    for (const { followed, log, leaderEpoch, fetchOffset } of sent) {
      const p = followed.partition;
      const data = answers.get(p.key);
      if (data === undefined || !this.#followed.has(p) || !this.#follows(p)) continue;
      if (p.leaderEpoch !== leaderEpoch || p.log !== log || log.logEndOffset !== fetchOffset) {
        continue;
      }
      try {
        const outcome = applyFetchedPartition(p, log, data);
        if (outcome.kind === 'retry') {
          followed.retryAtMs = this.#context.nowMs() + PARTITION_ERROR_BACKOFF_MS;
        } else if (outcome.kind === 'truncated') {
          this.#context.log(`Truncated ${p.key} to ${outcome.logEndOffset} (leader ` +
            `${this.leaderId}, epoch ${leaderEpoch})`);
        }
      } catch (error) {
        if (error instanceof AssertionFailure) throw error;
        this.#context.log(`Cannot apply the fetch of ${p.key}: ${(error as Error).message}`);
        followed.retryAtMs = this.#context.nowMs() + PARTITION_ERROR_BACKOFF_MS;
      }
    }
  }

  async #connect(): Promise<WebSocket | undefined> {
    if (this.#socket !== undefined && this.#socket.readyState === WebSocket.OPEN) {
      return this.#socket;
    }
    this.#dropSocket();
    const endpoint = this.#context.endpointOf(this.leaderId);
    if (endpoint === undefined || this.#stopped) return undefined;
    const socket = connect(endpoint, {
      maxFrameBytes: this.#context.maxFrameBytes, handshakeTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    this.#socket = socket;
    socket.on('message', (data, isBinary) => {
      if (isBinary && Buffer.isBuffer(data)) this.#onFrame(data);
    });
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.#failWaiting());
    if (!opened || this.#stopped) {
      if (this.#socket === socket) this.#dropSocket();
      return undefined;
    }
    return socket;
  }

  #onFrame(frame: Buffer): void {
    const decoded = decodeResponse(frame, { maxFrameBytes: this.#context.maxFrameBytes });
    if (decoded.kind !== 'response') {
      this.#context.log(`Malformed frame from broker ${this.leaderId}: ${decoded.reason}`);
      this.#dropSocket();
      return;
    }
    const waiter = this.#waiting.get(decoded.correlationId);
    if (waiter === undefined) return;
    this.#waiting.delete(decoded.correlationId);
    if (decoded.errorCode !== ErrorCode.NONE) {
      this.#context.log(`Fetch from broker ${this.leaderId} failed: error ${decoded.errorCode} ` +
        `${decoded.errorMessage ?? ''}`);
      waiter(undefined);
      return;
    }
    const parsed = parseResponse('Fetch', decoded.payload);
    if (!parsed.ok) this.#context.log(`Broker ${this.leaderId}: ${parsed.message}`);
    waiter(parsed.ok ? parsed.value : undefined);
  }

  /** Sends the request; the response, or undefined when the connection or the wait failed. */
  #exchange(socket: WebSocket, request: FetchRequest): Promise<FetchResponse | undefined> {
    const correlationId = this.#nextCorrelationId;
    this.#nextCorrelationId = (this.#nextCorrelationId % 0x7fff_fffe) + 1;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined),
        REPLICA_FETCH_WAIT_MAX_MS + REPLICA_SOCKET_TIMEOUT_MS);
      const finish = (answer: FetchResponse | undefined): void => {
        clearTimeout(timer);
        this.#waiting.delete(correlationId);
        resolve(answer);
      };
      this.#waiting.set(correlationId, finish);
      socket.send(encodeRequest('Fetch', {
        correlationId, clientId: `broker-${this.#context.brokerId}-fetcher-${this.leaderId}`,
      }, request), (error) => {
        if (error !== undefined && error !== null) finish(undefined);
      });
    });
  }

  #failWaiting(): void {
    for (const waiter of [...this.#waiting.values()]) waiter(undefined);
    this.#waiting.clear();
  }

  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#failWaiting();
    if (socket !== undefined) socket.terminate();
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}
