/**
 * The runtime: one loop that owns the timers, the disk and the sockets and drives the pure core.
 *
 * Ordering (see Ready in core/types.ts): quorum state durable -> send messages -> log writes
 * durable -> send acknowledgements -> core.persisted() -> apply committed entries. Readies are
 * processed strictly one after another.
 *
 * Group commit: proposals arriving in one turn of the event loop are buffered and handed to the
 * core together just before the next Ready is taken, so they become one batch, one write and one
 * fsync. While an fsync is running, new proposals accumulate for the next batch: the loop runs at
 * the disk's pace with no artificial linger.
 */
import { assert } from '../lib/assert.js';
import { createPrng } from '../lib/prng.js';
import { RaftCore } from './core/raft-core.js';
import type { RaftCoreConfig } from './core/config.js';
import type {
  LogEntry, NodeId, QuorumStatus, Ready, ReplicaStatus, SnapshotId,
} from './core/types.js';
import { EntryKind } from './core/types.js';
import { PendingProposals, ProposalError, type Committed } from './pending-proposals.js';
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

type CommittedListener = (entries: readonly LogEntry[], highWatermark: number) => void;

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
  /** One line per state change (role, epoch, leader). */
  readonly log?: (line: string) => void;
}

interface BufferedProposal {
  readonly data: Uint8Array;
  readonly resolve: (committed: Committed) => void;
  readonly reject: (error: ProposalError) => void;
}

export class RaftNode {
  readonly #core: RaftCore;
  readonly #options: RaftNodeOptions;
  readonly #timing: RaftTiming;
  readonly #limits: RaftLimits;
  readonly #pending = new PendingProposals();
  readonly #committedListeners: CommittedListener[] = [];
  #buffered: BufferedProposal[] = [];
  #bufferedBytes = 0;
  #processing = false;
  #scheduled = false;
  #closed = false;
  #ticker: NodeJS.Timeout | undefined;
  #appliedEndOffset = 0;
  #bytesSinceSnapshot = 0;
  #lastRoleLine = '';

  constructor(options: RaftNodeOptions) {
    this.#options = options;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    const snapshot = options.snapshotStore.latest();
    if (snapshot !== undefined) {
      options.stateMachine.restore(snapshot.id, snapshot.bytes);
      this.#appliedEndOffset = snapshot.id.endOffset;
    }
    const entries = options.logStore.readAll();
    this.#core = new RaftCore(this.#coreConfig(), {
      quorumState: options.quorumStateStore.read(),
      ...(snapshot === undefined ? {} : { snapshot }),
      entries,
      logStartOffset: options.logStore.startOffset(),
    });
    options.transport.onMessage((message) => {
      if (this.#closed) return;
      this.#core.step(message);
      this.#schedule();
    });
    options.transport.onPeerDisconnected((nodeId) => {
      if (this.#closed) return;
      this.#core.peerDisconnected(nodeId);
      this.#schedule();
    });
    this.#ticker = setInterval(() => this.#tick(), this.#timing.tickMs);
    this.#schedule();
  }

  #coreConfig(): RaftCoreConfig {
    const t = this.#timing;
    const ticks = (ms: number): number => Math.max(1, Math.round(ms / t.tickMs));
    const seed = this.#options.seed ?? ((Date.now() ^ (this.#options.nodeId * 2654435761)) | 0);
    return {
      nodeId: this.#options.nodeId,
      voters: this.#options.voters,
      electionTimeoutTicks: ticks(t.electionTimeoutMs),
      fetchTimeoutTicks: ticks(t.fetchTimeoutMs),
      electionBackoffMaxTicks: ticks(t.electionBackoffMaxMs),
      requestTimeoutTicks: ticks(t.requestTimeoutMs),
      fetchMaxWaitTicks: ticks(t.fetchMaxWaitMs),
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
    if (this.#closed) return Promise.reject(new ProposalError('SHUTTING_DOWN', 'node is closed'));
    const status = this.#core.status();
    if (status.role !== 'Leader') {
      return Promise.reject(
        new ProposalError('NOT_LEADER_OR_FOLLOWER', 'this node is not the leader', status.leaderId),
      );
    }
    if (this.#bufferedBytes + data.byteLength > this.#limits.maxBufferedProposalBytes) {
      return Promise.reject(
        new ProposalError('THROTTLING_QUOTA_EXCEEDED', 'too many buffered proposals'));
    }
    return new Promise<Committed>((resolve, reject) => {
      this.#buffered.push({ data, resolve, reject });
      this.#bufferedBytes += data.byteLength;
      this.#schedule();
    });
  }

  /** Called with every batch of newly committed entries, after the state machine applied them. */
  onCommitted(listener: CommittedListener): void {
    this.#committedListeners.push(listener);
  }

  status(): QuorumStatus {
    return this.#core.status();
  }

  /** One past the last committed entry the state machine has applied (a snapshot counts). */
  get appliedEndOffset(): number {
    return this.#appliedEndOffset;
  }

  /**
   * The status with the leader's per-replica fetch times as wall-clock milliseconds (-1 when
   * unknown), as DescribeQuorum reports them. The core counts ticks; this converts.
   */
  describeQuorum(nowMs = Date.now()): QuorumDescription {
    const status = this.#core.status();
    const nowTick = this.#core.now;
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
    this.#core.resign();
    this.#schedule();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ticker);
    this.#failBuffered(new ProposalError('SHUTTING_DOWN', 'node is closing'));
    this.#pending.failAll(new ProposalError('SHUTTING_DOWN', 'node is closing'));
    await this.#options.transport.close();
    await this.#options.logStore.close();
  }

  #tick(): void {
    this.#core.tick();
    this.#pending.expire(Date.now());
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#processing || this.#closed) return;
    this.#scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every message and proposal that
    // arrived in the turn is in the core or the buffer by then (group commit).
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#processing || this.#closed) return;
    this.#processing = true;
    try {
      this.#proposeBuffered();
      while (!this.#closed && this.#core.hasReady()) {
        await this.#process(this.#core.ready());
        this.#proposeBuffered();
      }
      await this.#maybeSnapshot();
    } finally {
      this.#processing = false;
    }
    if (!this.#closed && (this.#core.hasReady() || this.#buffered.length > 0)) this.#schedule();
  }

  /** Hands buffered proposals to the core in batches of at most maxBatchBytes. */
  #proposeBuffered(): void {
    while (this.#buffered.length > 0) {
      let bytes = 0;
      let count = 0;
      for (const p of this.#buffered) {
        if (count > 0 && bytes + p.data.byteLength > this.#limits.maxBatchBytes) break;
        bytes += p.data.byteLength;
        count++;
      }
      const batch = this.#buffered.slice(0, count);
      this.#buffered = this.#buffered.slice(count);
      this.#bufferedBytes -= bytes;
      const result = this.#core.propose(batch.map((p) => p.data));
      if (!result.ok) {
        const error = result.error === 'NOT_LEADER_OR_FOLLOWER'
          ? new ProposalError(result.error, 'this node is not the leader', result.leaderId)
          : new ProposalError(result.error, result.message);
        for (const p of batch) p.reject(error);
        continue;
      }
      const deadline = Date.now() + this.#limits.proposalTimeoutMs;
      batch.forEach((p, i) => {
        this.#pending.add(result.firstOffset + i, result.epoch, deadline).then(p.resolve, p.reject);
      });
    }
  }

  #failBuffered(error: ProposalError): void {
    for (const p of this.#buffered) p.reject(error);
    this.#buffered = [];
    this.#bufferedBytes = 0;
  }

  async #process(ready: Ready): Promise<void> {
    const { logStore, quorumStateStore, snapshotStore, transport, stateMachine } = this.#options;
    if (ready.quorumState !== undefined) await quorumStateStore.write(ready.quorumState);
    for (const message of ready.messages) transport.send(message);
    let wrote = false;
    if (ready.installSnapshot !== undefined) {
      const { id, bytes } = ready.installSnapshot;
      await snapshotStore.write(id, bytes);
      logStore.resetTo(id.endOffset);
      stateMachine.restore(id, bytes);
      this.#appliedEndOffset = id.endOffset;
      this.#bytesSinceSnapshot = 0;
      const replaced = new ProposalError('NOT_LEADER_OR_FOLLOWER', 'log replaced by a snapshot');
      this.#pending.failAll(replaced);
      const size = bytes.byteLength;
      this.#options.log?.(`Installed snapshot ${id.endOffset}-${id.epoch} (${size} bytes)`);
      wrote = true;
    }
    if (ready.truncateFrom !== undefined) {
      assert(ready.truncateFrom >= this.#appliedEndOffset, 'truncation below applied entries');
      logStore.truncateFrom(ready.truncateFrom);
      wrote = true;
    }
    if (ready.append.length > 0) {
      logStore.append(ready.append);
      wrote = true;
    }
    if (wrote) await logStore.sync();
    if (ready.logStartOffset !== undefined) logStore.deleteBefore(ready.logStartOffset);
    for (const message of ready.messagesAfterPersist) transport.send(message);
    this.#core.persisted(ready.readyId);
    this.#apply(ready);
    this.#logRoleChange();
  }

  #apply(ready: Ready): void {
    if (ready.committed.length === 0) return;
    for (const entry of ready.committed) {
      assert(entry.offset === this.#appliedEndOffset, 'committed entries applied out of order');
      this.#appliedEndOffset = entry.offset + 1;
      if (entry.kind === EntryKind.data) this.#bytesSinceSnapshot += entry.data.byteLength;
    }
    this.#options.stateMachine.apply(ready.committed);
    this.#pending.committed(ready.committed);
    for (const listener of this.#committedListeners) listener(ready.committed, ready.highWatermark);
  }

  /** Snapshots the state machine once enough bytes were applied since the last snapshot. */
  async #maybeSnapshot(): Promise<void> {
    const due = this.#bytesSinceSnapshot >= this.#limits.snapshotEveryBytes;
    if (!due || this.#appliedEndOffset === 0) return;
    const endOffset = this.#appliedEndOffset;
    const epoch = this.#core.epochOfEntry(endOffset - 1);
    if (epoch === undefined) return;
    const id: SnapshotId = { endOffset, epoch };
    const bytes = this.#options.stateMachine.snapshot();
    this.#bytesSinceSnapshot = 0;
    await this.#options.snapshotStore.write(id, bytes);
    this.#core.snapshotCreated(id, bytes, this.#limits.retainEntriesAfterSnapshot);
    this.#options.log?.(`Wrote snapshot ${id.endOffset}-${id.epoch} (${bytes.byteLength} bytes)`);
  }

  #logRoleChange(): void {
    const s = this.#core.status();
    const line = `role=${s.role} epoch=${s.epoch} leader=${s.leaderId}`;
    if (line === this.#lastRoleLine) return;
    this.#lastRoleLine = line;
    this.#options.log?.(`Raft state changed: ${line} highWatermark=${s.highWatermark}`);
  }
}
