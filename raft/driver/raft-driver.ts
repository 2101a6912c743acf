/**
 * RaftDriver: the one loop that turns the core's Readies into I/O, synchronous and I/O-free
 * (etcd's RawNode/Node split; TigerBeetle's "generic over I/O"). It owns the RaftCore, the
 * state machine, group commit, the proposal callbacks, the applied offset, the snapshot policy
 * and the leader-change and committed listeners. A host (RaftNode, the simulator's node, the
 * unit harness) feeds it inputs, performs the commands it hands out and reports completions:
 *
 *   for (let c = driver.next(); c !== undefined; c = driver.next()) perform(c);
 *   ...later, when a durable command is on disk: driver.completed(c); then pump again.
 *
 * The order for one Ready (index.ts explains why each step is where it is):
 *   1 persistQuorumState      (if the Ready has a quorum state)
 *   2 send messages
 *   3 writeSnapshot 'install' (if the leader sent a snapshot)
 *   4 writeLog                (reset, truncate, append, fsync, delete below the log start)
 *   5 send messagesAfterPersist
 *   6 core.persisted(readyId); restore the installed snapshot and fail every pending proposal;
 *     apply the committed entries; committed listeners; settle the committed proposals
 * Between Readies, and before the next one is taken: leader-change listeners, a due snapshot
 * (writeSnapshot 'create', then core.snapshotCreated), then the buffered proposals go to the
 * core in batches of at most maxBatchBytes. Callbacks run synchronously inside next(), tick()
 * or propose(); they may call propose(), never next().
 */
import { assert } from '../../lib/assert.js';
import type { RaftCoreConfig, RaftCoreInitialState } from '../core/config.js';
import { RaftCore } from '../core/raft-core.js';
import type {
  Epoch, LogEntry, NodeId, Offset, QuorumStatus, RaftMessage, Ready, SnapshotId,
} from '../core/types.js';
import { Role } from '../core/types.js';
import { ProposalError } from '../pending-proposals.js';
import type { StateMachine } from '../state-machine.js';
import { CommandKind } from './commands.js';
import type { DriverCommand, DurableCommand, WriteLog, WriteSnapshot } from './commands.js';
import {
  PendingProposals, ProposalBuffer, proposalError, type ProposalCallback,
} from './proposals.js';
import type { SnapshotPolicy } from './snapshot-policy.js';

export interface DriverLimits {
  /** Bytes of buffered, not yet appended proposals before propose() pushes back. */
  readonly maxBufferedProposalBytes: number;
  /** KRaft's MAX_BATCH_SIZE_BYTES: one batch handed to the core never exceeds it. */
  readonly maxBatchBytes: number;
  /** A proposal not committed within this many ticks fails with REQUEST_TIMED_OUT. */
  readonly proposalTimeoutTicks: number;
}

/** Kafka's LeaderAndEpoch, plus this node's role. */
export interface LeaderAndEpoch {
  readonly role: Role;
  readonly epoch: Epoch;
  readonly leaderId: NodeId;
}

export type CommittedListener = (entries: readonly LogEntry[], highWatermark: Offset) => void;
export type LeaderChangeListener = (leader: LeaderAndEpoch) => void;

/** Hooks for hosts that watch the driver work (log lines, the simulator's invariants). */
export interface DriverObserver {
  readyTaken?(ready: Ready): void;
  snapshotInstalled?(id: SnapshotId, byteLength: number): void;
  snapshotCreated?(id: SnapshotId, byteLength: number): void;
}

export interface RaftDriverOptions {
  readonly config: RaftCoreConfig;
  readonly initial: RaftCoreInitialState;
  readonly stateMachine: StateMachine;
  readonly limits: DriverLimits;
  readonly snapshotPolicy: SnapshotPolicy;
  readonly observer?: DriverObserver;
}

const Stage = {
  idle: 0, quorumState: 1, messages: 2, install: 3, log: 4, acknowledge: 5, finish: 6,
} as const;
type Stage = (typeof Stage)[keyof typeof Stage];

export class RaftDriver {
  readonly #core: RaftCore;
  readonly #stateMachine: StateMachine;
  readonly #limits: DriverLimits;
  readonly #policy: SnapshotPolicy;
  readonly #observer: DriverObserver;
  readonly #buffer = new ProposalBuffer();
  readonly #pending = new PendingProposals();
  readonly #committedListeners: CommittedListener[] = [];
  readonly #leaderListeners: LeaderChangeListener[] = [];
  #ready: Ready | undefined;
  #stage: Stage = Stage.idle;
  /** The durable command handed out and not yet completed. */
  #awaiting: DurableCommand | undefined;
  /** Entries to retain behind a snapshot that is due (undefined: none is). */
  #snapshotDue: number | undefined;
  // Invariant: every committed entry below this offset reached the state machine, in order.
  #appliedEndOffset = 0;
  #leader: LeaderAndEpoch;
  #inNext = false;
  #closed = false;

  constructor(options: RaftDriverOptions) {
    this.#stateMachine = options.stateMachine;
    this.#limits = options.limits;
    this.#policy = options.snapshotPolicy;
    this.#observer = options.observer ?? {};
    assert(options.limits.proposalTimeoutTicks >= 1, 'proposalTimeoutTicks must be >= 1');
    assert(options.limits.maxBatchBytes >= 1, 'maxBatchBytes must be >= 1');
    const snapshot = options.initial.snapshot;
    if (snapshot !== undefined) {
      this.#stateMachine.restore(snapshot.id, snapshot.bytes);
      this.#appliedEndOffset = snapshot.id.endOffset;
    }
    this.#policy.reset(this.#appliedEndOffset);
    this.#core = new RaftCore(options.config, options.initial);
    this.#leader = this.#leaderNow();
  }

  /** The core, for inspection; inputs go through the driver. */
  get core(): RaftCore {
    return this.#core;
  }

  /** One past the last committed entry the state machine has applied (a snapshot counts). */
  get appliedEndOffset(): Offset {
    return this.#appliedEndOffset;
  }

  /** The core's current role, epoch and leader (listeners hear of changes between Readies). */
  get leaderAndEpoch(): LeaderAndEpoch {
    return this.#leaderNow();
  }

  /** A Ready or a snapshot write is under way (the simulator waits for quiet nodes). */
  get busy(): boolean {
    return this.#ready !== undefined || this.#awaiting !== undefined;
  }

  /** Proposals buffered for the next batch, and appended ones waiting for their commit. */
  get proposals(): { readonly buffered: number; readonly pending: number } {
    return { buffered: this.#buffer.size, pending: this.#pending.size };
  }

  status(): QuorumStatus {
    return this.#core.status();
  }

  step(message: RaftMessage): void {
    this.#core.step(message);
  }

  /** One tick of the core's clock; proposals past their deadline fail here. */
  tick(): void {
    this.#core.tick();
    this.#pending.expire(this.#core.now);
  }

  peerDisconnected(nodeId: NodeId): void {
    this.#core.peerDisconnected(nodeId);
  }

  /** Graceful hand-over (KIP-595 EndQuorumEpoch). */
  resign(): void {
    this.#core.resign();
  }

  /**
   * Buffers `data` for the next batch; `settle` runs once with where it committed, or why not
   * (right away when this node cannot take it: NOT_LEADER_OR_FOLLOWER with the leader hint,
   * THROTTLING_QUOTA_EXCEEDED (backpressure, retriable) when the buffer is full, SHUTTING_DOWN
   * once closed).
   */
  propose(data: Uint8Array, settle: ProposalCallback): void {
    if (this.#closed) return settle(proposalError('SHUTTING_DOWN', 'node is closed'));
    const core = this.#core;
    if (core.role !== Role.leader) {
      return settle(
        proposalError('NOT_LEADER_OR_FOLLOWER', 'this node is not the leader', core.leaderId),
      );
    }
    if (this.#buffer.bytes + data.byteLength > this.#limits.maxBufferedProposalBytes) {
      return settle(proposalError('THROTTLING_QUOTA_EXCEEDED', 'too many buffered proposals'));
    }
    this.#buffer.push(data, settle);
  }

  /** Called with every batch of newly committed entries, after the state machine applied them. */
  onCommitted(listener: CommittedListener): () => void {
    return subscribe(this.#committedListeners, listener);
  }

  /** Called when this node's role, the epoch or the known leader changes. */
  onLeaderChange(listener: LeaderChangeListener): () => void {
    return subscribe(this.#leaderListeners, listener);
  }

  /** Asks for a snapshot at the applied offset before the next Ready (tests drive this). */
  requestSnapshot(retainEntries: number): void {
    assert(Number.isInteger(retainEntries) && retainEntries >= 0, 'retainEntries must be >= 0');
    this.#snapshotDue = retainEntries;
  }

  /** Fails every proposal with `error` and stops: next() hands out nothing more. */
  close(error: ProposalError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer.failAll(error);
    this.#pending.failAll(error);
  }

  /** The next command to perform, or undefined while a durable one is outstanding or idle. */
  next(): DriverCommand | undefined {
    assert(!this.#inNext, 'next() called from a callback');
    this.#inNext = true;
    try {
      return this.#next();
    } finally {
      this.#inNext = false;
    }
  }

  /** The host made `command` durable. */
  completed(command: DurableCommand): void {
    if (this.#closed) return;
    assert(command === this.#awaiting, `completed ${command.kind}, which is not outstanding`);
    this.#awaiting = undefined;
    if (command.kind === CommandKind.writeSnapshot && command.reason === 'create') {
      this.#core.snapshotCreated(command.id, command.bytes, command.retainEntries);
      this.#observer.snapshotCreated?.(command.id, command.bytes.byteLength);
    }
  }

  #next(): DriverCommand | undefined {
    for (;;) {
      if (this.#closed) return undefined;
      this.#noticeLeaderChange();
      if (this.#awaiting !== undefined) return undefined;
      if (this.#ready === undefined) {
        const snapshot = this.#dueSnapshot();
        if (snapshot !== undefined) return this.#await(snapshot);
        this.#proposeBuffered();
        if (!this.#core.hasReady()) return undefined;
        const ready = this.#core.ready();
        this.#ready = ready;
        this.#stage = Stage.quorumState;
        this.#observer.readyTaken?.(ready);
      }
      const command = this.#advance(this.#ready);
      if (command !== undefined) return command;
    }
  }

  /** The next command of the Ready in progress; undefined once it is finished. */
  #advance(ready: Ready): DriverCommand | undefined {
    if (this.#stage === Stage.quorumState) {
      this.#stage = Stage.messages;
      const state = ready.quorumState;
      if (state !== undefined) return this.#await({ kind: CommandKind.persistQuorumState, state });
    }
    if (this.#stage === Stage.messages) {
      this.#stage = Stage.install;
      if (ready.messages.length > 0) return { kind: CommandKind.send, messages: ready.messages };
    }
    if (this.#stage === Stage.install) {
      this.#stage = Stage.log;
      const install = ready.installSnapshot;
      if (install !== undefined) {
        const { id, bytes } = install;
        return this.#await({
          kind: CommandKind.writeSnapshot, reason: 'install', id, bytes, retainEntries: 0,
        });
      }
    }
    if (this.#stage === Stage.log) {
      this.#stage = Stage.acknowledge;
      const write = this.#logWrite(ready);
      if (write !== undefined) return this.#await(write);
    }
    if (this.#stage === Stage.acknowledge) {
      this.#stage = Stage.finish;
      const messages = ready.messagesAfterPersist;
      if (messages.length > 0) return { kind: CommandKind.send, messages };
    }
    this.#finish(ready);
    return undefined;
  }

  #await<C extends DurableCommand>(command: C): C {
    this.#awaiting = command;
    return command;
  }

  #logWrite(ready: Ready): WriteLog | undefined {
    const resetTo = ready.installSnapshot?.id.endOffset;
    const { truncateFrom, append, logStartOffset } = ready;
    if (truncateFrom !== undefined) {
      assert(truncateFrom >= this.#appliedEndOffset, 'truncation below applied entries');
    }
    const sync = resetTo !== undefined || truncateFrom !== undefined || append.length > 0;
    if (!sync && logStartOffset === undefined) return undefined;
    return {
      kind: CommandKind.writeLog, resetTo, truncateFrom, append, sync,
      deleteBefore: logStartOffset,
    };
  }

  #finish(ready: Ready): void {
    this.#ready = undefined;
    this.#stage = Stage.idle;
    this.#core.persisted(ready.readyId);
    if (ready.installSnapshot !== undefined) this.#installed(ready.installSnapshot);
    if (ready.committed.length > 0) this.#apply(ready.committed, ready.highWatermark);
  }

  /** A leader's snapshot replaced the log: the state machine loads it, every proposal fails. */
  #installed(install: { readonly id: SnapshotId; readonly bytes: Uint8Array }): void {
    const { id, bytes } = install;
    this.#stateMachine.restore(id, bytes);
    this.#appliedEndOffset = id.endOffset;
    this.#policy.reset(id.endOffset);
    this.#snapshotDue = undefined;
    const replaced = proposalError('NOT_LEADER_OR_FOLLOWER', 'log replaced by a snapshot');
    this.#pending.failAll(replaced);
    this.#observer.snapshotInstalled?.(id, bytes.byteLength);
  }

  #apply(committed: readonly LogEntry[], highWatermark: Offset): void {
    for (const entry of committed) {
      assert(entry.offset === this.#appliedEndOffset, 'committed entries applied out of order');
      this.#appliedEndOffset = entry.offset + 1;
    }
    this.#stateMachine.apply(committed);
    // Listeners see the new state before any proposal of the batch is settled, so whoever is
    // told "committed" finds the effect already applied (as RaftNode's promises always did).
    for (const listener of [...this.#committedListeners]) listener(committed, highWatermark);
    this.#pending.committed(committed);
    const retain = this.#policy.afterApply(committed, this.#appliedEndOffset);
    if (retain !== undefined) this.#snapshotDue = retain;
  }

  /** The snapshot to write now, if one is due and the applied offset names an epoch. */
  #dueSnapshot(): WriteSnapshot | undefined {
    const retainEntries = this.#snapshotDue;
    if (retainEntries === undefined) return undefined;
    const endOffset = this.#appliedEndOffset;
    const taken = this.#core.snapshotId?.endOffset ?? 0;
    if (endOffset <= taken) {
      this.#snapshotDue = undefined;
      return undefined;
    }
    const epoch = this.#core.epochAt(endOffset - 1);
    if (epoch === undefined) return undefined;
    this.#snapshotDue = undefined;
    this.#policy.reset(endOffset);
    const bytes = this.#stateMachine.snapshot();
    return {
      kind: CommandKind.writeSnapshot, reason: 'create', id: { endOffset, epoch }, bytes,
      retainEntries,
    };
  }

  /** Hands buffered proposals to the core in batches of at most maxBatchBytes. */
  #proposeBuffered(): void {
    let backpressure: ProposalError | undefined;
    for (;;) {
      const batch = this.#buffer.takeBatch(this.#limits.maxBatchBytes);
      if (batch === undefined) return;
      const result = this.#core.propose(batch.data);
      if (!result.ok && result.error === 'NOT_LEADER_OR_FOLLOWER') {
        // Every later batch would be refused the same way: one error for the whole buffer.
        const error = proposalError(result.error, 'this node is not the leader', result.leaderId);
        for (const settle of batch.settles) settle(error);
        this.#buffer.failAll(error);
        return;
      }
      if (!result.ok) {
        // Backpressure (maxUncommittedBytes): a smaller batch after this one may still fit.
        // The refused ones share one error (an Error's stack trace is not cheap).
        backpressure ??= proposalError(result.error, result.message);
        for (const settle of batch.settles) settle(backpressure);
        continue;
      }
      const deadline = this.#core.now + this.#limits.proposalTimeoutTicks;
      const { firstOffset, epoch } = result;
      for (let index = 0; index < batch.settles.length; index++) {
        this.#pending.add(firstOffset + index, epoch, deadline, batch.settles[index]!);
      }
    }
  }

  #leaderNow(): LeaderAndEpoch {
    const core = this.#core;
    return { role: core.role, epoch: core.epoch, leaderId: core.leaderId };
  }

  #noticeLeaderChange(): void {
    const core = this.#core;
    const last = this.#leader;
    if (core.role === last.role && core.epoch === last.epoch && core.leaderId === last.leaderId) {
      return;
    }
    this.#leader = this.#leaderNow();
    for (const listener of [...this.#leaderListeners]) listener(this.#leader);
  }
}

function subscribe<T>(listeners: T[], listener: T): () => void {
  listeners.push(listener);
  return () => {
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  };
}
