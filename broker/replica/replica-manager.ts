/**
 * The broker's data plane (Kafka's ReplicaManager): the partition replicas this broker hosts,
 * the requests that read and write them, and the work that keeps them replicated.
 *
 * Metadata drives roles: every committed delta's localChanges(brokerId) makes this broker
 * leader or follower of partitions, acting only when the leader epoch moved (a new role) or the
 * partition epoch moved (a new ISR or replica set under the same leader), and stops and
 * deletes the replicas of deleted topics or replicas moved away.
 *
 * Handlers answer typed responses (the listener encodes them), and the broker itself appends
 * and reads through appendRecords and readRecords, which share the Produce and Fetch paths.
 * Whatever runs on top (the coordinators) hears each partition's role changes through
 * onPartitionLeadership.
 *
 * Everything runs on the event loop: role changes, appends, high watermark moves and the
 * completion of parked requests happen in one turn each, so no state is seen half-changed.
 */
import { AssertionFailure } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import type { LocalPartition, MetadataDelta, MetadataImage } from '../../metadata/index.js';
import {
  ErrorCode, NO_RESPONSE, respond, respondWithError, type FetchPartitionResponse,
  type ProducePartitionResponse, type ServedRequest,
} from '../../protocol/index.js';
import type { ClientConnection } from '../api/client-listener.js';
import type { HandlerResult } from '../api/request-router.js';
import type { DataPlane, DataPlaneContext } from '../data-plane.js';
import { FetchHandler } from './fetch.js';
import { IsrUpdater } from './isr-updates.js';
import {
  LeadershipEvents, type PartitionLeadershipListener, type TopicPartition,
} from './leadership-events.js';
import {
  FLUSH_CHECK_INTERVAL_MS, MAX_PARKED_FETCHES, MAX_PARKED_PRODUCES,
} from './limits.js';
import { handleListOffsets } from './list-offsets.js';
import { LogStore } from './log-store.js';
import {
  clampHighWatermark, detachLog, followerOf, makeFollower, makeLeader, markStopped,
  maybeAdvanceHighWatermark, newPartition, partitionKey, recordFollowerFetch, Role,
  syncFollowers, updateRegistration, type Partition,
} from './partition.js';
import { errorResult, ProduceHandler, type AppendOptions } from './produce.js';
import { Purgatory, type DelayedOperation } from './purgatory.js';
import type { ReplicaContext } from './replica-context.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import { TopicSettingsReader } from './topic-settings.js';

const STOPPING = 'The broker is stopping.';

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
  readonly #leadership: LeadershipEvents;
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
    this.#leadership = new LeadershipEvents(context.log);
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

  /**
   * Hears "became leader / became follower / stopped" for every partition hosted here, first
   * for the current roles (leadership-events.ts). Returns what removes the listener.
   */
  onPartitionLeadership(listener: PartitionLeadershipListener): () => void {
    return this.#leadership.add(listener, this.#partitions.values());
  }

  /** Answers a decoded Produce, Fetch or ListOffsets with a typed response. */
  serve(request: ServedRequest, _connection: ClientConnection): HandlerResult {
    if (this.#closed) {
      return respondWithError(request, ErrorCode.NOT_LEADER_OR_FOLLOWER, STOPPING);
    }
    switch (request.api) {
      case 'Produce':
        return this.#produce.handle(request.payload)
          .then((response) => (response === undefined ? NO_RESPONSE : respond(request, response)));
      case 'Fetch':
        return this.#fetch.handle(request.payload).then((response) => respond(request, response));
      case 'ListOffsets':
        return handleListOffsets(this.#handlers, request.payload)
          .then((response) => respond(request, response));
      default:
        return respondWithError(request, ErrorCode.UNSUPPORTED_VERSION,
          `${request.api} is not served by the data plane`);
    }
  }

  /**
   * Appends record batches to a partition this broker leads, as the broker itself (Kafka's
   * ReplicaManager.appendRecords with the coordinator origin): the group and transaction
   * coordinators write their internal topics here. Same checks, ordering and acks=-1 wait as
   * a Produce; the result comes for every acks.
   */
  async appendRecords(
    partition: TopicPartition, records: Uint8Array, options: AppendOptions,
  ): Promise<ProducePartitionResponse> {
    if (this.#closed) {
      return errorResult(partition.partitionId, ErrorCode.NOT_LEADER_OR_FOLLOWER, STOPPING);
    }
    const response = await this.#produce.append([{
      name: partition.topicName, partitions: [{ partitionIndex: partition.partitionId, records }],
    }], options);
    return response.topics[0]!.partitions[0]!;
  }

  /**
   * Reads whole batches from a partition this broker leads, as the broker itself (Kafka's
   * readFromLog): at least one batch from `fetchOffset` even over `maxBytes` (KIP-74), below
   * the high watermark, or below the log end with `upTo: 'logEnd'` (a coordinator loading its
   * partition). Same checks and errors as a Fetch partition; no long poll.
   */
  async readRecords(
    partition: TopicPartition, fetchOffset: number, maxBytes: number,
    options: { readonly upTo?: 'highWatermark' | 'logEnd' } = {},
  ): Promise<FetchPartitionResponse> {
    if (this.#closed) {
      return { partitionIndex: partition.partitionId, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
        highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: null };
    }
    return this.#fetch.read(partition.topicName, partition.partitionId, fetchOffset, maxBytes,
      options.upTo === 'logEnd');
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
    check(!p.stopped, p.key, ': a stopped replica is still hosted');
    return p;
  }

  /** Kafka's Partition.makeLeader. */
  #becomeLeader(local: LocalPartition): void {
    const registration = local.partition;
    const p = this.#ensurePartition(local);
    if (p.role === Role.leader && p.leaderEpoch === registration.leaderEpoch) {
      if (registration.partitionEpoch <= p.partitionEpoch) return;
      updateRegistration(p, registration);
      syncFollowers(p, this.#nowMs());
      this.#onIsrChanged(p);
      return;
    }
    if (registration.leaderEpoch < p.leaderEpoch) return;
    this.#detachFetcher(p);
    makeLeader(p, this.#brokerId, registration);
    syncFollowers(p, this.#nowMs());
    this.#context.log(`Leading ${p.key} in leader epoch ${p.leaderEpoch} with ISR ` +
      `${p.isr.join(',')}; high watermark ${p.highWatermark}`);
    this.#onIsrChanged(p);
    this.#fetches.checkAndComplete(p.key);
    this.#leadership.becameLeader(p);
  }

  /** Kafka's Partition.makeFollower; truncation is left to lastFetchedEpoch (KIP-101). */
  #becomeFollower(local: LocalPartition): void {
    const registration = local.partition;
    const p = this.#ensurePartition(local);
    if (p.role === Role.follower && p.leaderEpoch === registration.leaderEpoch &&
      p.leaderId === registration.leader) {
      if (registration.partitionEpoch > p.partitionEpoch) updateRegistration(p, registration);
      return;
    }
    if (registration.leaderEpoch < p.leaderEpoch) return;
    const wasLeader = p.role === Role.leader;
    makeFollower(p, this.#brokerId, registration);
    if (wasLeader) {
      this.#produces.checkAndComplete(p.key);
      this.#fetches.checkAndComplete(p.key);
    }
    this.#detachFetcher(p);
    if (registration.leader >= 0) this.#attachFetcher(p, registration.leader);
    this.#leadership.becameFollower(p);
  }

  #stop(p: Partition, deleteFiles: boolean): void {
    if (this.#partitions.get(p.key) === p) this.#partitions.delete(p.key);
    markStopped(p);
    this.#detachFetcher(p);
    this.#produces.checkAndComplete(p.key);
    this.#fetches.checkAndComplete(p.key);
    void this.#logs.stop(p, deleteFiles);
    if (deleteFiles) this.#context.log(`Deleting the log of ${p.key}`);
    this.#leadership.stopped(p, deleteFiles);
  }

  #attachFetcher(p: Partition, leaderId: number): void {
    check(p.role === Role.follower && p.leaderId === leaderId, p.key,
      ': fetched from broker ', leaderId, ' by a replica that does not follow it');
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
    const nowMs = this.#nowMs();
    recordFollowerFetch(followerOf(p, replicaId, nowMs), fetchOffset, log.logEndOffset, nowMs,
      brokerEpoch);
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

  /** attachLog has clamped the high watermark and started a leader's epoch at the log end. */
  #onLogOpened(p: Partition): void {
    if (p.role === Role.leader) this.#onIsrChanged(p);
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
      markStopped(p);
      this.#produces.checkAndComplete(p.key);
    }
    this.#produces.completeAll();
    await Promise.all(this.#stoppingFetchers);
    await this.#logs.close();
    for (const p of this.#partitions.values()) {
      p.log?.close();
      detachLog(p);
    }
    this.#partitions.clear();
  }
}
