/**
 * The broker's data plane (Kafka's ReplicaManager): the partition replicas this broker hosts,
 * the requests that read and write them, and the work that keeps them replicated.
 *
 * Metadata drives roles: every committed delta's localChanges(brokerId) makes this broker
 * leader or follower of partitions, acting only when the leader epoch moved (a new role) or the
 * partition epoch moved (a new ISR or replica set under the same leader), and stops and
 * deletes the replicas of deleted topics or replicas moved away.
 *
 * Everything runs on the event loop: role changes, appends, high watermark moves and the
 * completion of parked requests happen in one turn each, so no state is seen half-changed.
 */
import { AssertionFailure } from '../../lib/assert.js';
import type { LocalPartition, MetadataDelta, MetadataImage } from '../../metadata/index.js';
import {
  encodeErrorResponse, encodeResponse, ErrorCode, type ServedRequest,
} from '../../protocol/index.js';
import type { ClientConnection } from '../api/client-listener.js';
import type { DataPlane, DataPlaneContext } from '../data-plane.js';
import { FetchHandler } from './fetch.js';
import { IsrUpdater } from './isr-updates.js';
import {
  FLUSH_CHECK_INTERVAL_MS, MAX_PARKED_FETCHES, MAX_PARKED_PRODUCES,
} from './limits.js';
import { handleListOffsets } from './list-offsets.js';
import { LogStore } from './log-store.js';
import {
  clampHighWatermark, freshFollower, maybeAdvanceHighWatermark, newPartition, partitionKey,
  recordFollowerFetch, Role, type Partition,
} from './partition.js';
import { ProduceHandler } from './produce.js';
import { Purgatory, type DelayedOperation } from './purgatory.js';
import type { ReplicaContext } from './replica-context.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import { TopicSettingsReader } from './topic-settings.js';

export interface ReplicaManagerOptions {
  /** The broker clock (Date.now by default); timers still use the event loop's. */
  readonly nowMs?: () => number;
}

export class ReplicaManager implements DataPlane {
  readonly #context: DataPlaneContext;
  readonly #brokerId: number;
  readonly #nowMs: () => number;
  readonly #lagMs: number;
  readonly #partitions = new Map<string, Partition>();
  readonly #settings: TopicSettingsReader;
  readonly #logs: LogStore;
  readonly #produces = new Purgatory<DelayedOperation>(MAX_PARKED_PRODUCES);
  readonly #fetches = new Purgatory<DelayedOperation>(MAX_PARKED_FETCHES);
  readonly #isr: IsrUpdater;
  readonly #fetchers = new Map<number, ReplicaFetcher>();
  readonly #fetcherOf = new Map<Partition, ReplicaFetcher>();
  readonly #stoppingFetchers = new Set<Promise<void>>();
  readonly #produce: ProduceHandler;
  readonly #fetch: FetchHandler;
  readonly #handlers: ReplicaContext;
  readonly #timers: NodeJS.Timeout[] = [];
  #closed = false;

  constructor(context: DataPlaneContext, options: ReplicaManagerOptions = {}) {
    this.#context = context;
    this.#brokerId = context.brokerId;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#lagMs = context.config['replica.lag.time.max.ms'];
    const logDir = context.config.logDirs[0];
    if (logDir === undefined) throw new Error('log.dirs names no directory');
    this.#settings = new TopicSettingsReader(context.image, context.topicDefaults);
    this.#logs = new LogStore({
      logDir, nowMs: this.#nowMs, log: context.log,
      logConfig: (topic) => this.#settings.logConfig(topic),
      onOpened: (p) => this.#onLogOpened(p),
    });
    this.#isr = new IsrUpdater({
      brokerId: this.#brokerId, brokerEpoch: context.brokerEpoch, channel: context.channel,
      image: context.image, nowMs: this.#nowMs, replicaLagTimeMaxMs: this.#lagMs,
      log: context.log,
      isCurrent: (p) => !p.stopped && this.#partitions.get(p.key) === p,
      onIsrChanged: (p) => this.#onIsrChanged(p),
    });
    this.#handlers = {
      brokerId: this.#brokerId, image: context.image, partitions: this.#partitions,
      settings: this.#settings, logs: this.#logs, produces: this.#produces,
      fetches: this.#fetches, nowMs: this.#nowMs,
      afterLeaderAppend: (p) => this.#afterLeaderAppend(p),
      afterFollowerFetch: (p, replicaId, fetchOffset, brokerEpoch) =>
        this.#afterFollowerFetch(p, replicaId, fetchOffset, brokerEpoch),
    };
    this.#produce = new ProduceHandler(this.#handlers);
    this.#fetch = new FetchHandler(this.#handlers);
  }

  /** Takes the roles the current image gives this broker and starts the periodic work. */
  start(): void {
    const image = this.#context.image();
    for (const topic of image.topics.byId.values()) {
      topic.partitions.forEach((partition, partitionId) => {
        if (!partition.replicas.includes(this.#brokerId)) return;
        const local = { topicName: topic.name, topicId: topic.topicId, partitionId, partition };
        if (partition.leader === this.#brokerId) this.#becomeLeader(local);
        else this.#becomeFollower(local);
      });
    }
    const every = (ms: number, work: () => void): void => {
      const timer = setInterval(work, Math.max(1, ms));
      timer.unref();
      this.#timers.push(timer);
    };
    every(Math.floor(this.#lagMs / 2), () => this.#shrinkIsrs());
    every(this.#context.config['log.retention.check.interval.ms'], () => this.#retain());
    every(FLUSH_CHECK_INTERVAL_MS, () => this.#flush());
  }

  /** The partitions hosted here (tests and diagnostics). */
  partition(topicName: string, partitionId: number): Readonly<Partition> | undefined {
    return this.#partitions.get(partitionKey(topicName, partitionId));
  }

  serve(request: ServedRequest, _connection: ClientConnection):
    Promise<Uint8Array | undefined> | Uint8Array | undefined {
    const id = request.header.correlationId;
    if (this.#closed) {
      return encodeErrorResponse(id, ErrorCode.NOT_LEADER_OR_FOLLOWER, 'The broker is stopping.');
    }
    switch (request.api) {
      case 'Produce':
        return this.#produce.handle(request.payload)
          .then((response) => response && encodeResponse('Produce', id, response));
      case 'Fetch':
        return this.#fetch.handle(request.payload)
          .then((response) => encodeResponse('Fetch', id, response));
      case 'ListOffsets':
        return handleListOffsets(this.#handlers, request.payload)
          .then((response) => encodeResponse('ListOffsets', id, response));
      default:
        return encodeErrorResponse(id, ErrorCode.UNSUPPORTED_VERSION,
          `${request.api} is not served by the data plane`);
    }
  }

  onMetadata(delta: MetadataDelta, _image: MetadataImage): void {
    if (this.#closed) return;
    const changes = delta.localChanges(this.#brokerId);
    for (const deletion of changes.deletes) {
      const p = this.#partitions.get(partitionKey(deletion.topicName, deletion.partitionId));
      if (p !== undefined && p.topicId === deletion.topicId) this.#stop(p, true);
    }
    for (const local of changes.leaders) this.#becomeLeader(local);
    for (const local of changes.followers) this.#becomeFollower(local);
  }

  #ensurePartition(local: LocalPartition): Partition {
    const key = partitionKey(local.topicName, local.partitionId);
    let p = this.#partitions.get(key);
    if (p !== undefined && p.topicId !== local.topicId) {
      this.#stop(p, true); // the topic was re-created under the same name
      p = undefined;
    }
    if (p === undefined) {
      p = newPartition(local.topicName, local.topicId, local.partitionId);
      this.#partitions.set(key, p);
      this.#logs.schedule(p);
    }
    return p;
  }

  /** Kafka's Partition.makeLeader. */
  #becomeLeader(local: LocalPartition): void {
    const registration = local.partition;
    const p = this.#ensurePartition(local);
    if (p.role === Role.leader && p.leaderEpoch === registration.leaderEpoch) {
      if (registration.partitionEpoch <= p.partitionEpoch) return;
      p.partitionEpoch = registration.partitionEpoch;
      p.replicas = registration.replicas;
      p.isr = registration.isr;
      p.pending = undefined;
      this.#syncFollowers(p);
      this.#onIsrChanged(p);
      return;
    }
    if (registration.leaderEpoch < p.leaderEpoch) return;
    this.#detachFetcher(p);
    p.role = Role.leader;
    p.leaderId = this.#brokerId;
    p.leaderEpoch = registration.leaderEpoch;
    p.partitionEpoch = registration.partitionEpoch;
    p.replicas = registration.replicas;
    p.isr = registration.isr;
    p.pending = undefined;
    // The new epoch starts at the log end; a not yet open log sets it when it opens.
    p.leaderEpochStartOffset = p.log?.logEndOffset ?? -1;
    p.followers.clear();
    this.#syncFollowers(p);
    this.#context.log(`Leading ${p.key} in leader epoch ${p.leaderEpoch} with ISR ` +
      `${p.isr.join(',')}; high watermark ${p.highWatermark}`);
    this.#onIsrChanged(p);
    this.#fetches.checkAndComplete(p.key);
  }

  /** Kafka's Partition.makeFollower; truncation is left to lastFetchedEpoch (KIP-101). */
  #becomeFollower(local: LocalPartition): void {
    const registration = local.partition;
    const p = this.#ensurePartition(local);
    if (p.role === Role.follower && p.leaderEpoch === registration.leaderEpoch &&
      p.leaderId === registration.leader) {
      if (registration.partitionEpoch > p.partitionEpoch) {
        p.partitionEpoch = registration.partitionEpoch;
        p.replicas = registration.replicas;
        p.isr = registration.isr;
      }
      return;
    }
    if (registration.leaderEpoch < p.leaderEpoch) return;
    const wasLeader = p.role === Role.leader;
    p.role = Role.follower;
    p.leaderId = registration.leader;
    p.leaderEpoch = registration.leaderEpoch;
    p.partitionEpoch = registration.partitionEpoch;
    p.replicas = registration.replicas;
    p.isr = registration.isr;
    p.pending = undefined;
    p.leaderEpochStartOffset = -1;
    p.followers.clear();
    if (wasLeader) {
      this.#produces.checkAndComplete(p.key);
      this.#fetches.checkAndComplete(p.key);
    }
    this.#detachFetcher(p);
    if (registration.leader >= 0) this.#attachFetcher(p, registration.leader);
  }

  /** Follower records for the replicas; ISR members count as caught up when added. */
  #syncFollowers(p: Partition): void {
    const nowMs = this.#nowMs();
    for (const id of p.followers.keys()) if (!p.replicas.includes(id)) p.followers.delete(id);
    for (const id of p.replicas) {
      if (id !== this.#brokerId && !p.followers.has(id)) {
        p.followers.set(id, freshFollower(p.isr.includes(id), nowMs));
      }
    }
  }

  #stop(p: Partition, deleteFiles: boolean): void {
    if (this.#partitions.get(p.key) === p) this.#partitions.delete(p.key);
    p.stopped = true;
    p.pending = undefined;
    this.#detachFetcher(p);
    this.#produces.checkAndComplete(p.key);
    this.#fetches.checkAndComplete(p.key);
    void this.#logs.stop(p, deleteFiles);
    if (deleteFiles) this.#context.log(`Deleting the log of ${p.key}`);
  }

  #attachFetcher(p: Partition, leaderId: number): void {
    let fetcher = this.#fetchers.get(leaderId);
    if (fetcher === undefined) {
      fetcher = new ReplicaFetcher({
        brokerId: this.#brokerId, brokerEpoch: this.#context.brokerEpoch,
        endpointOf: (id) => this.#endpointOf(id), openLog: (q) => this.#logs.open(q),
        maxFrameBytes: this.#context.config['socket.request.max.bytes'],
        nowMs: this.#nowMs, log: this.#context.log,
      }, leaderId);
      this.#fetchers.set(leaderId, fetcher);
    }
    fetcher.add(p);
    this.#fetcherOf.set(p, fetcher);
  }

  #detachFetcher(p: Partition): void {
    const fetcher = this.#fetcherOf.get(p);
    if (fetcher === undefined) return;
    this.#fetcherOf.delete(p);
    fetcher.remove(p);
    if (fetcher.size > 0) return;
    this.#fetchers.delete(fetcher.leaderId);
    const stopping = fetcher.stop().finally(() => this.#stoppingFetchers.delete(stopping));
    this.#stoppingFetchers.add(stopping);
  }

  #endpointOf(brokerId: number): { host: string; port: number } | undefined {
    const registration = this.#context.image().cluster.brokers.get(brokerId);
    if (registration === undefined) return undefined;
    const name = this.#context.config.interBrokerListenerName;
    const endPoints = registration.endPoints;
    const endPoint = endPoints.find((e) => e.name === name) ??
      (endPoints.length === 1 ? endPoints[0] : undefined);
    if (endPoint === undefined) return undefined;
    return { host: endPoint.host === '' ? '127.0.0.1' : endPoint.host, port: endPoint.port };
  }

  #advanceHighWatermark(p: Partition): boolean {
    const { minInSyncReplicas } = this.#settings.settings(p.topicName);
    return maybeAdvanceHighWatermark(p, this.#nowMs(), this.#lagMs, minInSyncReplicas);
  }

  #afterLeaderAppend(p: Partition): void {
    if (this.#advanceHighWatermark(p)) this.#produces.checkAndComplete(p.key);
    this.#fetches.checkAndComplete(p.key);
  }

  #afterFollowerFetch(
    p: Partition, replicaId: number, fetchOffset: number, brokerEpoch: number,
  ): void {
    const log = p.log;
    if (log === undefined) return;
    let follower = p.followers.get(replicaId);
    if (follower === undefined) {
      follower = freshFollower(false, this.#nowMs());
      p.followers.set(replicaId, follower);
    }
    recordFollowerFetch(follower, fetchOffset, log.logEndOffset, this.#nowMs(), brokerEpoch);
    if (this.#advanceHighWatermark(p)) {
      this.#produces.checkAndComplete(p.key);
      this.#fetches.checkAndComplete(p.key);
    }
    this.#isr.maybeExpand(p, replicaId);
  }

  #onIsrChanged(p: Partition): void {
    if (this.#advanceHighWatermark(p)) this.#fetches.checkAndComplete(p.key);
    this.#produces.checkAndComplete(p.key);
  }

  #onLogOpened(p: Partition): void {
    clampHighWatermark(p);
    if (p.role !== Role.leader) return;
    if (p.leaderEpochStartOffset < 0) p.leaderEpochStartOffset = p.log!.logEndOffset;
    this.#onIsrChanged(p);
  }

  #shrinkIsrs(): void {
    for (const p of this.#partitions.values()) {
      if (p.role === Role.leader) this.#isr.maybeShrink(p);
    }
  }

  #retain(): void {
    const nowMs = this.#nowMs();
    this.#eachLog((p, log) => {
      log.deleteRetainedSegments(nowMs, p.highWatermark);
      clampHighWatermark(p);
    });
  }

  #flush(): void {
    this.#eachLog((_p, log) => log.flushIfNeeded());
  }

  #eachLog(work: (p: Partition, log: NonNullable<Partition['log']>) => void): void {
    for (const p of this.#partitions.values()) {
      if (p.log === undefined) continue;
      try {
        work(p, p.log);
      } catch (error) {
        if (error instanceof AssertionFailure) throw error;
        this.#context.log(`Log maintenance of ${p.key} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Stops fetchers and timers, answers parked requests, closes the logs cleanly. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#isr.close();
    for (const fetcher of this.#fetchers.values()) this.#stoppingFetchers.add(fetcher.stop());
    this.#fetchers.clear();
    this.#fetcherOf.clear();
    this.#fetches.completeAll();
    for (const p of this.#partitions.values()) {
      p.stopped = true;
      this.#produces.checkAndComplete(p.key);
    }
    this.#produces.completeAll();
    await Promise.all(this.#stoppingFetchers);
    await this.#logs.close();
    for (const p of this.#partitions.values()) {
      p.log?.close();
      p.log = undefined;
    }
    this.#partitions.clear();
  }
}
