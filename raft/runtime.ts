/**
 * The runtime: RaftNode hosts the driver (driver/) on real timers, disk and sockets. The
 * driver decides what happens and in which order (driver/index.ts); this file only performs
 * its commands: the quorum-state file, the snapshot store, the log store's writes and fsync,
 * and the transport, reporting each durable write back when it resolved.
 *
 * Group commit: every input (a message, a tick, a proposal) schedules one pump with
 * setImmediate, which runs after the I/O callbacks of the turn, so everything that arrived in
 * the turn is in the core or the driver's buffer by then and becomes one batch, one write and
 * one fsync. While an fsync runs, new proposals accumulate for the next batch, and its
 * completion pumps at once: the loop runs at the disk's pace with no artificial linger.
 */
import { systemClock, type Clock, type Timer } from '../lib/clock.js';
import { createPrng } from '../lib/prng.js';
import type { RaftCoreConfig } from './core/config.js';
import type { Offset, NodeId, QuorumStatus, ReplicaStatus } from './core/types.js';
import {
  CommandKind, everyBytesPolicy, RaftDriver, type CommittedListener, type DriverCommand,
  type DurableCommand, type LeaderAndEpoch, type LeaderChangeListener, type ProposalCallback,
  type WriteLog,
} from './driver/index.js';
import { ProposalError, type Committed } from './pending-proposals.js';
import type { RaftClient } from './raft-client.js';
import type { StateMachine } from './state-machine.js';
import type { LogStore, QuorumStateStore, SnapshotStore } from './storage/types.js';
import type { RaftTransport } from './transport/types.js';

export interface ReplicaDescription {
  readonly nodeId: NodeId;
  readonly logEndOffset: number;
  readonly lastFetchTimestamp: number;
  readonly lastCaughtUpTimestamp: number;
}

/** QuorumStatus with wall-clock times: what `kafka-metadata-quorum describe` prints. */
export interface QuorumDescription extends Omit<QuorumStatus, 'voters' | 'observers'> {
  readonly voters: readonly ReplicaDescription[];
  readonly observers: readonly ReplicaDescription[];
}

export interface RaftTiming {
  readonly tickMs: number;
  readonly electionTimeoutMs: number;
  readonly fetchTimeoutMs: number;
  readonly electionBackoffMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly fetchMaxWaitMs: number;
}

/** Kafka's controller.quorum.* defaults, with a 10 ms tick. */
export const DEFAULT_TIMING: RaftTiming = {
  tickMs: 10,
  electionTimeoutMs: 1000,
  fetchTimeoutMs: 2000,
  electionBackoffMaxMs: 1000,
  requestTimeoutMs: 2000,
  fetchMaxWaitMs: 500,
};

export interface RaftLimits {
  /** Bytes of buffered, not yet appended proposals before propose() pushes back. */
  readonly maxBufferedProposalBytes: number;
  /** KRaft's MAX_BATCH_SIZE_BYTES: one append never exceeds it. */
  readonly maxBatchBytes: number;
  readonly fetchMaxBytes: number;
  readonly snapshotChunkBytes: number;
  readonly maxUncommittedBytes: number;
  /** A proposal not committed by then is failed with REQUEST_TIMED_OUT. */
  readonly proposalTimeoutMs: number;
  /** metadata.log.max.record.bytes.between.snapshots */
  readonly snapshotEveryBytes: number;
  /** Entries kept behind a snapshot, so slightly lagging followers need no snapshot transfer. */
  readonly retainEntriesAfterSnapshot: number;
}

export const DEFAULT_LIMITS: RaftLimits = {
  maxBufferedProposalBytes: 64 * 1024 * 1024,
  maxBatchBytes: 8 * 1024 * 1024,
  fetchMaxBytes: 8 * 1024 * 1024,
  snapshotChunkBytes: 1024 * 1024,
  maxUncommittedBytes: 64 * 1024 * 1024,
  proposalTimeoutMs: 10_000,
  snapshotEveryBytes: 20 * 1024 * 1024,
  retainEntriesAfterSnapshot: 1000,
};

export interface RaftNodeOptions {
  readonly nodeId: NodeId;
  readonly voters: readonly NodeId[];
  readonly logStore: LogStore;
  readonly quorumStateStore: QuorumStateStore;
  readonly snapshotStore: SnapshotStore;
  readonly transport: RaftTransport;
  readonly stateMachine: StateMachine;
  readonly timing?: Partial<RaftTiming>;
  readonly limits?: Partial<RaftLimits>;
  /** Seeds the election-timeout randomness; by default derived from the node id and the time. */
  readonly seed?: number;
  /** The ticker and the wall-clock times of describeQuorum (default: the system clock). */
  readonly clock?: Clock;
  /** One line per state change (role, epoch, leader). */
  readonly log?: (line: string) => void;
}

export class RaftNode implements RaftClient {
  readonly #driver: RaftDriver;
  readonly #options: RaftNodeOptions;
  readonly #timing: RaftTiming;
  readonly #limits: RaftLimits;
  readonly #clock: Clock;
  readonly #ticker: Timer;
  #scheduled = false;
  #closed = false;

  constructor(options: RaftNodeOptions) {
    this.#options = options;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#clock = options.clock ?? systemClock;
    const snapshot = options.snapshotStore.latest();
    const log = options.log;
    this.#driver = new RaftDriver({
      config: this.#coreConfig(),
      initial: {
        quorumState: options.quorumStateStore.read(),
        ...(snapshot === undefined ? {} : { snapshot }),
        entries: options.logStore.readAll(),
        logStartOffset: options.logStore.startOffset(),
      },
      stateMachine: options.stateMachine,
      limits: {
        maxBufferedProposalBytes: this.#limits.maxBufferedProposalBytes,
        maxBatchBytes: this.#limits.maxBatchBytes,
        proposalTimeoutTicks: this.#ticks(this.#limits.proposalTimeoutMs),
      },
      snapshotPolicy: everyBytesPolicy(
        this.#limits.snapshotEveryBytes, this.#limits.retainEntriesAfterSnapshot,
      ),
      observer: {
        snapshotInstalled: (id, size) =>
          log?.(`Installed snapshot ${id.endOffset}-${id.epoch} (${size} bytes)`),
        snapshotCreated: (id, size) =>
          log?.(`Wrote snapshot ${id.endOffset}-${id.epoch} (${size} bytes)`),
      },
    });
    this.#driver.onLeaderChange((leader) => {
      const line = `role=${leader.role} epoch=${leader.epoch} leader=${leader.leaderId}`;
      log?.(`Raft state changed: ${line} highWatermark=${this.#driver.core.highWatermark}`);
    });
    options.transport.onMessage((message) => {
      if (this.#closed) return;
      this.#driver.step(message);
      this.#schedule();
    });
    options.transport.onPeerDisconnected((nodeId) => {
      if (this.#closed) return;
      this.#driver.peerDisconnected(nodeId);
      this.#schedule();
    });
    this.#ticker = this.#clock.setInterval(() => this.#tick(), this.#timing.tickMs);
    this.#schedule();
  }

  #ticks(ms: number): number {
    return Math.max(1, Math.round(ms / this.#timing.tickMs));
  }

  #coreConfig(): RaftCoreConfig {
    const t = this.#timing;
    const nodeId = this.#options.nodeId;
    const seed = this.#options.seed ?? ((this.#clock.nowMs() ^ (nodeId * 2654435761)) | 0);
    return {
      nodeId,
      voters: this.#options.voters,
      electionTimeoutTicks: this.#ticks(t.electionTimeoutMs),
      fetchTimeoutTicks: this.#ticks(t.fetchTimeoutMs),
      electionBackoffMaxTicks: this.#ticks(t.electionBackoffMaxMs),
      requestTimeoutTicks: this.#ticks(t.requestTimeoutMs),
      fetchMaxWaitTicks: this.#ticks(t.fetchMaxWaitMs),
      fetchMaxBytes: this.#limits.fetchMaxBytes,
      snapshotChunkBytes: this.#limits.snapshotChunkBytes,
      maxUncommittedBytes: this.#limits.maxUncommittedBytes,
      prng: createPrng(seed),
    };
  }

  /**
   * Appends `data` to the replicated log. Resolves with its offset and epoch once committed;
   * rejects with NOT_LEADER_OR_FOLLOWER (carrying the leader hint) when this node cannot take it.
   */
  propose(data: Uint8Array): Promise<Committed> {
    return new Promise<Committed>((resolve, reject) => {
      this.submit(data, (result) => {
        if (result instanceof ProposalError) reject(result);
        else resolve(result);
      });
    });
  }

  /** The callback form of propose() (RaftClient). */
  submit(data: Uint8Array, settle: ProposalCallback): void {
    this.#driver.propose(data, settle);
    this.#schedule();
  }

  /** Called with every batch of newly committed entries, after the state machine applied them. */
  onCommitted(listener: CommittedListener): () => void {
    return this.#driver.onCommitted(listener);
  }

  /** Called when this node's role, the epoch or the known leader changes. */
  onLeaderChange(listener: LeaderChangeListener): () => void {
    return this.#driver.onLeaderChange(listener);
  }

  get leaderAndEpoch(): LeaderAndEpoch {
    return this.#driver.leaderAndEpoch;
  }

  status(): QuorumStatus {
    return this.#driver.status();
  }

  /** One past the last committed entry the state machine has applied (a snapshot counts). */
  get appliedEndOffset(): Offset {
    return this.#driver.appliedEndOffset;
  }

  get logEndOffset(): Offset {
    return this.#driver.core.logEndOffset;
  }

  /**
   * The status with the leader's per-replica fetch times as wall-clock milliseconds (-1 when
   * unknown), as DescribeQuorum reports them. The core counts ticks; this converts.
   */
  describeQuorum(nowMs = this.#clock.nowMs()): QuorumDescription {
    const status = this.#driver.status();
    const nowTick = this.#driver.core.now;
    const tickMs = this.#timing.tickMs;
    const toMs = (tick: number): number => (tick < 0 ? -1 : nowMs - (nowTick - tick) * tickMs);
    const replica = (r: ReplicaStatus): ReplicaDescription => ({
      nodeId: r.nodeId,
      logEndOffset: r.logEndOffset,
      lastFetchTimestamp: toMs(r.lastFetchTick),
      lastCaughtUpTimestamp: toMs(r.lastCaughtUpTick),
    });
    return {
      ...status, voters: status.voters.map(replica), observers: status.observers.map(replica),
    };
  }

  /** Graceful hand-over before shutdown (KIP-595 EndQuorumEpoch). */
  resign(): void {
    this.#driver.resign();
    this.#schedule();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ticker.cancel();
    this.#driver.close(new ProposalError('SHUTTING_DOWN', 'node is closing'));
    await this.#options.transport.close();
    await this.#options.logStore.close();
  }

  #tick(): void {
    this.#driver.tick();
    this.#schedule();
  }

  #schedule(): void {
    // While a durable write runs, its completion pumps: nothing to schedule.
    if (this.#scheduled || this.#closed || this.#driver.busy) return;
    this.#scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every message and proposal that
    // arrived in the turn is in the core or the buffer by then (group commit).
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    const driver = this.#driver;
    for (let command = driver.next(); command !== undefined; command = driver.next()) {
      this.#perform(command);
    }
  }

  #perform(command: DriverCommand): void {
    const { quorumStateStore, snapshotStore, transport } = this.#options;
    switch (command.kind) {
      case CommandKind.send:
        for (const message of command.messages) transport.send(message);
        return;
      case CommandKind.persistQuorumState:
        return this.#whenDurable(command, quorumStateStore.write(command.state));
      case CommandKind.writeSnapshot:
        return this.#whenDurable(command, snapshotStore.write(command.id, command.bytes));
      case CommandKind.writeLog:
        return this.#writeLog(command);
    }
  }

  #writeLog(command: WriteLog): void {
    const logStore = this.#options.logStore;
    if (command.resetTo !== undefined) logStore.resetTo(command.resetTo);
    if (command.truncateFrom !== undefined) logStore.truncateFrom(command.truncateFrom);
    if (command.append.length > 0) logStore.append(command.append);
    const deleteBefore = (): void => {
      if (command.deleteBefore !== undefined) logStore.deleteBefore(command.deleteBefore);
    };
    if (!command.sync) {
      deleteBefore();
      this.#driver.completed(command);
      return;
    }
    // A failed write rejects here and crashes the process: the store is unusable after it.
    void logStore.sync().then(() => {
      if (this.#closed) return;
      deleteBefore();
      this.#completed(command);
    });
  }

  #whenDurable(command: DurableCommand, write: Promise<void>): void {
    void write.then(() => this.#completed(command));
  }

  #completed(command: DurableCommand): void {
    if (this.#closed) return;
    this.#driver.completed(command);
    this.#pump();
  }
}
