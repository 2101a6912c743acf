/**
 * One simulated controller: a RaftCore, its simulated disk and toy state machine, and a driver
 * that processes each Ready exactly as types.ts prescribes, with the quorum-state write and the
 * fsync completing after random delays (other events interleave meanwhile). A crash kills every
 * callback of the old incarnation; a restart rebuilds the node from its durable state only.
 */
import type { Prng } from '../../lib/prng.js';
import type { RaftCoreConfig } from '../../raft/core/config.js';
import { RaftCore } from '../../raft/core/raft-core.js';
import type { LogEntry, NodeId, ProposeResult, RaftMessage, Ready } from '../../raft/core/types.js';
import type { EventQueue } from './event-queue.js';
import type { InvariantChecker } from './invariants.js';
import { SimDisk } from './sim-disk.js';
import { encodeValue, ToyStateMachine } from './toy-state-machine.js';

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

export interface NodeHost {
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly checker: InvariantChecker;
  send(message: RaftMessage): void;
  applied(node: SimNode, entry: LogEntry): void;
  snapshotInstalled(node: SimNode): void;
}

export class SimNode {
  readonly id: NodeId;
  readonly isVoter: boolean;
  alive = false;
  incarnation = 0;
  core!: RaftCore;
  readonly disk = new SimDisk();
  sm = new ToyStateMachine();
  snapshotsCreated = 0;
  readonly #host: NodeHost;
  readonly #config: Omit<RaftCoreConfig, 'prng'>;
  readonly #parameters: NodeParameters;
  #busy = false;
  #lastSnapshotOffset = 0;

  constructor(
    id: NodeId,
    config: Omit<RaftCoreConfig, 'prng'>,
    parameters: NodeParameters,
    host: NodeHost,
  ) {
    this.id = id;
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
    this.sm = snapshot !== undefined ? ToyStateMachine.load(snapshot.bytes) : new ToyStateMachine();
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
    if (!this.alive) return undefined;
    const result = this.core.propose(values.map(encodeValue));
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
      this.sm = ToyStateMachine.load(ready.installSnapshot.bytes);
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
