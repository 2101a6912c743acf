/**
 * One simulated controller: a RaftCore, its simulated disk and state machine, and a driver
 * that processes each Ready exactly as types.ts prescribes, with the quorum-state write and the
 * fsync completing after random delays (other events interleave meanwhile). A crash kills every
 * callback of the old incarnation; a restart rebuilds the node from its durable state only.
 *
 * The state machine is pluggable (a StateMachineFactory): the toy one (toy-state-machine.ts)
 * for the Raft simulation, the metadata image (metadata-sim-machine.ts) for the controller one.
 */
import type { Prng } from '../../lib/prng.js';
import type { RaftCoreConfig } from '../../raft/core/config.js';
import { RaftCore } from '../../raft/core/raft-core.js';
import type {
  Epoch, LogEntry, NodeId, Offset, ProposeResult, RaftMessage, Ready,
} from '../../raft/core/types.js';
import type { EventQueue } from './event-queue.js';
import type { InvariantChecker } from './invariants.js';
import { SimDisk } from './sim-disk.js';
import type { StoredSnapshot } from './sim-disk.js';
import { encodeValue } from './toy-state-machine.js';
import type { ToyStateMachine } from './toy-state-machine.js';

/** What a simulated node applies committed entries to (every entry kind, in offset order). */
export interface SimStateMachine {
  /** One past the last applied entry. */
  readonly appliedOffset: Offset;
  /** Epoch of the last applied entry (the snapshot id's epoch). */
  readonly lastEpoch: Epoch;
  /** Equal applied offsets must give equal hashes on every node (Determinism). */
  readonly hash: number;
  apply(entry: LogEntry): void;
  snapshot(): Uint8Array;
}

export interface StateMachineFactory<M extends SimStateMachine> {
  create(): M;
  /** The state machine a stored or installed snapshot describes. */
  load(snapshot: StoredSnapshot): M;
}

export const TICK_MS = 10;

export interface NodeParameters {
  readonly snapshotEveryEntries: number;
  readonly retainEntriesMax: number;
  readonly quorumWriteMaxMs: number;
  readonly fsyncMaxMs: number;
  /** A stalled fsync now and then: other events (a truncation, say) land while it runs. */
  readonly slowFsyncChance: number;
  /** On a crash: chance that a prefix of the unsynced writes survives, and that it is torn. */
  readonly keepPrefixChance: number;
  readonly tornChance: number;
}

export interface NodeHost<M extends SimStateMachine> {
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly checker: InvariantChecker;
  send(message: RaftMessage): void;
  applied(node: SimNode<M>, entry: LogEntry): void;
  snapshotInstalled(node: SimNode<M>): void;
}

export class SimNode<M extends SimStateMachine = ToyStateMachine> {
  readonly id: NodeId;
  readonly isVoter: boolean;
  alive = false;
  incarnation = 0;
  core!: RaftCore;
  readonly disk = new SimDisk();
  sm: M;
  snapshotsCreated = 0;
  readonly #host: NodeHost<M>;
  readonly #machines: StateMachineFactory<M>;
  readonly #config: Omit<RaftCoreConfig, 'prng'>;
  readonly #parameters: NodeParameters;
  #busy = false;
  #lastSnapshotOffset = 0;

  constructor(
    id: NodeId,
    config: Omit<RaftCoreConfig, 'prng'>,
    parameters: NodeParameters,
    host: NodeHost<M>,
    machines: StateMachineFactory<M>,
  ) {
    this.id = id;
    this.#machines = machines;
    this.sm = machines.create();
    this.isVoter = config.voters.includes(id);
    this.#config = config;
    this.#parameters = parameters;
    this.#host = host;
  }

  get busy(): boolean {
    return this.#busy;
  }

  start(): void {
    this.incarnation += 1;
    this.alive = true;
    this.#busy = false;
    const prng = this.#host.prng.fork();
    this.core = new RaftCore({ ...this.#config, prng }, this.disk.initialState());
    const snapshot = this.disk.snapshot;
    this.sm = snapshot !== undefined ? this.#machines.load(snapshot) : this.#machines.create();
    this.#lastSnapshotOffset = this.sm.appliedOffset;
    this.#host.checker.onApplied(this);
    this.#scheduleTick(this.#host.prng.nextInt(1, TICK_MS + 1));
    this.pump();
  }

  crash(): void {
    this.alive = false;
    this.incarnation += 1;
    this.#busy = false;
    const { keepPrefixChance, tornChance } = this.#parameters;
    this.disk.crash(this.#host.prng, keepPrefixChance, tornChance);
  }

  deliver(message: RaftMessage): void {
    if (!this.alive) return;
    this.core.step(message);
    this.pump();
  }

  peerDisconnected(nodeId: NodeId): void {
    if (!this.alive) return;
    this.core.peerDisconnected(nodeId);
    this.pump();
  }

  resign(): void {
    if (!this.alive) return;
    this.core.resign();
    this.pump();
  }

  propose(values: readonly number[]): ProposeResult | undefined {
    return this.proposeData(values.map(encodeValue));
  }

  proposeData(data: readonly Uint8Array[]): ProposeResult | undefined {
    if (!this.alive) return undefined;
    const result = this.core.propose(data);
    this.pump();
    return result;
  }

  #scheduleTick(delay: number): void {
    const incarnation = this.incarnation;
    this.#host.queue.after(delay, () => {
      if (!this.alive || this.incarnation !== incarnation) return;
      this.core.tick();
      this.pump();
      this.#scheduleTick(TICK_MS);
    });
  }

  /** Takes the next Ready if the previous one is done (Readies are processed one at a time). */
  pump(): void {
    if (!this.alive || this.#busy || !this.core.hasReady()) return;
    const ready = this.core.ready();
    this.#busy = true;
    this.#host.checker.onReady(this, ready);
    const incarnation = this.incarnation;
    const live = (): boolean => this.alive && this.incarnation === incarnation;
    const quorumState = ready.quorumState;
    if (quorumState === undefined) return this.#sendAndWrite(ready, live);
    this.#host.queue.after(
      this.#host.prng.nextInt(0, this.#parameters.quorumWriteMaxMs + 1),
      () => {
        if (!live()) return;
        this.#host.checker.onQuorumWrite(this, quorumState);
        this.disk.writeQuorum(quorumState);
        this.#sendAndWrite(ready, live);
      },
    );
  }

  #sendAndWrite(ready: Ready, live: () => boolean): void {
    for (const message of ready.messages) this.#send(message);
    this.disk.write(ready);
    if (!this.disk.hasPending) return this.#afterSync(ready);
    const { fsyncMaxMs, slowFsyncChance } = this.#parameters;
    const prng = this.#host.prng;
    const delay = prng.chance(slowFsyncChance)
      ? prng.nextInt(20, 150)
      : prng.nextInt(0, fsyncMaxMs + 1);
    this.#host.queue.after(delay, () => {
      if (live()) this.#afterSync(ready);
    });
  }

  #afterSync(ready: Ready): void {
    this.disk.sync();
    if (ready.installSnapshot !== undefined) {
      this.sm = this.#machines.load(ready.installSnapshot);
      this.#lastSnapshotOffset = this.sm.appliedOffset;
      this.#host.checker.onApplied(this);
      this.#host.snapshotInstalled(this);
    }
    for (const message of ready.messagesAfterPersist) this.#send(message);
    this.core.persisted(ready.readyId);
    for (const entry of ready.committed) {
      this.sm.apply(entry);
      this.#host.checker.onApplied(this);
      this.#host.applied(this, entry);
    }
    this.#maybeSnapshot();
    this.#busy = false;
    this.pump();
  }

  #send(message: RaftMessage): void {
    this.#host.checker.onSend(this, message);
    this.#host.send(message);
  }

  #maybeSnapshot(): void {
    const applied = this.sm.appliedOffset;
    if (applied - this.#lastSnapshotOffset < this.#parameters.snapshotEveryEntries) return;
    this.#lastSnapshotOffset = applied;
    const id = { endOffset: applied, epoch: this.sm.lastEpoch };
    this.#host.checker.onSnapshotCreated(this, id);
    const bytes = this.sm.snapshot();
    this.disk.saveSnapshot({ id, bytes });
    this.snapshotsCreated += 1;
    const retain = this.#host.prng.nextInt(0, this.#parameters.retainEntriesMax + 1);
    this.core.snapshotCreated(id, bytes, retain);
  }
}
