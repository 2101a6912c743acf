/**
 * One simulated controller: the production driver (raft/driver) with its core and state
 * machine, on a simulated disk and network. This file has no Ready loop: it performs the
 * driver's commands, the quorum-state and snapshot writes and the fsync completing after
 * random delays (other events interleave meanwhile), and reports them done. A crash drops the
 * driver with every callback of the old incarnation; a restart builds a new one from the
 * durable state only.
 *
 * The node is a RaftClient (raft/raft-client.ts) for the current incarnation, like RaftNode,
 * so the metadata controller's driver runs on it unchanged. Proposals are group-committed as
 * in production: one pump at the end of the event that proposed them (RaftNode's setImmediate).
 *
 * The state machine is pluggable (a StateMachineFactory): the toy one (toy-state-machine.ts)
 * for the Raft simulation, the metadata image (metadata-sim-machine.ts) for the controller one.
 */
import type { Prng } from '../../lib/prng.js';
import type { RaftCoreConfig } from '../../raft/core/config.js';
import type { RaftCore } from '../../raft/core/raft-core.js';
import type { LogEntry, NodeId, Offset, RaftMessage } from '../../raft/core/types.js';
import { CommandKind, RaftDriver } from '../../raft/driver/index.js';
import type {
  CommittedListener, DriverCommand, DriverLimits, DurableCommand, LeaderAndEpoch,
  LeaderChangeListener, ProposalCallback, SnapshotPolicy,
} from '../../raft/driver/index.js';
import { ProposalError } from '../../raft/pending-proposals.js';
import type { RaftClient } from '../../raft/raft-client.js';
import type { EventQueue } from './event-queue.js';
import type { InvariantChecker } from './invariants.js';
import { SimDisk } from './sim-disk.js';
import type { SimStateMachine, StateMachineFactory } from './sim-state-machine.js';
import type { ToyStateMachine } from './toy-state-machine.js';

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
  readonly limits: DriverLimits;
}

export interface NodeHost<M extends SimStateMachine> {
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly checker: InvariantChecker;
  send(message: RaftMessage): void;
  /** A new incarnation runs (its driver exists; nothing happened yet). */
  started(node: SimNode<M>): void;
  applied(node: SimNode<M>, entries: readonly LogEntry[]): void;
  snapshotInstalled(node: SimNode<M>): void;
}

export class SimNode<M extends SimStateMachine = ToyStateMachine> implements RaftClient {
  readonly id: NodeId;
  readonly isVoter: boolean;
  alive = false;
  incarnation = 0;
  readonly disk = new SimDisk();
  sm!: M;
  snapshotsCreated = 0;
  readonly #host: NodeHost<M>;
  readonly #machines: StateMachineFactory<M>;
  readonly #config: Omit<RaftCoreConfig, 'prng'>;
  readonly #parameters: NodeParameters;
  #driver!: RaftDriver;
  #pumpScheduled = false;

  constructor(
    id: NodeId,
    config: Omit<RaftCoreConfig, 'prng'>,
    parameters: NodeParameters,
    host: NodeHost<M>,
    machines: StateMachineFactory<M>,
  ) {
    this.id = id;
    this.#machines = machines;
    this.isVoter = config.voters.includes(id);
    this.#config = config;
    this.#parameters = parameters;
    this.#host = host;
  }

  get core(): RaftCore {
    return this.#driver.core;
  }

  /** A Ready or a durable write is under way. */
  get busy(): boolean {
    return this.#driver.busy;
  }

  get leaderAndEpoch(): LeaderAndEpoch {
    return this.#driver.leaderAndEpoch;
  }

  get appliedEndOffset(): Offset {
    return this.#driver.appliedEndOffset;
  }

  get logEndOffset(): Offset {
    return this.#driver.core.logEndOffset;
  }

  start(): void {
    this.incarnation += 1;
    this.alive = true;
    this.#pumpScheduled = false;
    const host = this.#host;
    const prng = host.prng.fork();
    this.sm = this.#machines.create(() => host.checker.onApplied(this));
    this.#driver = new RaftDriver({
      config: { ...this.#config, prng },
      initial: this.disk.recover(),
      stateMachine: this.sm,
      limits: this.#parameters.limits,
      snapshotPolicy: this.#snapshotPolicy(),
      observer: {
        readyTaken: (ready) => host.checker.onReady(this, ready),
        snapshotInstalled: () => {
          host.checker.onApplied(this);
          host.snapshotInstalled(this);
        },
      },
    });
    this.#driver.onCommitted((entries) => host.applied(this, entries));
    host.checker.onApplied(this);
    host.started(this);
    this.#scheduleTick(host.prng.nextInt(1, TICK_MS + 1));
    this.pump();
  }

  crash(): void {
    this.alive = false;
    this.incarnation += 1;
    const { keepPrefixChance, tornChance } = this.#parameters;
    this.disk.crash(this.#host.prng, keepPrefixChance, tornChance);
  }

  deliver(message: RaftMessage): void {
    if (!this.alive) return;
    this.#driver.step(message);
    this.pump();
  }

  peerDisconnected(nodeId: NodeId): void {
    if (!this.alive) return;
    this.#driver.peerDisconnected(nodeId);
    this.pump();
  }

  resign(): void {
    if (!this.alive) return;
    this.#driver.resign();
    this.pump();
  }

  submit(data: Uint8Array, settle: ProposalCallback): void {
    if (!this.alive) return settle(new ProposalError('SHUTTING_DOWN', 'the node is down'));
    this.#driver.propose(data, settle);
    this.#schedulePump();
  }

  onCommitted(listener: CommittedListener): () => void {
    return this.#driver.onCommitted(listener);
  }

  onLeaderChange(listener: LeaderChangeListener): () => void {
    return this.#driver.onLeaderChange(listener);
  }

  /** Performs the driver's commands until it waits for the disk or has nothing to do. */
  pump(): void {
    if (!this.alive) return;
    const driver = this.#driver;
    for (let command = driver.next(); command !== undefined; command = driver.next()) {
      this.#perform(command);
    }
  }

  /** Group commit: everything proposed during this event goes out in one pump at its end. */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    const incarnation = this.incarnation;
    this.#host.queue.defer(() => {
      if (!this.alive || this.incarnation !== incarnation) return;
      this.#pumpScheduled = false;
      this.pump();
    });
  }

  #scheduleTick(delay: number): void {
    const incarnation = this.incarnation;
    this.#host.queue.after(delay, () => {
      if (!this.alive || this.incarnation !== incarnation) return;
      this.#driver.tick();
      this.pump();
      this.#scheduleTick(TICK_MS);
    });
  }

  /** Every snapshotEveryEntries applied entries, retaining a random number behind it. */
  #snapshotPolicy(): SnapshotPolicy {
    const { snapshotEveryEntries, retainEntriesMax } = this.#parameters;
    const prng = this.#host.prng;
    let lastOffset = 0;
    return {
      afterApply: (_entries, appliedEndOffset) =>
        appliedEndOffset - lastOffset >= snapshotEveryEntries
          ? prng.nextInt(0, retainEntriesMax + 1) : undefined,
      reset: (endOffset) => {
        lastOffset = endOffset;
      },
    };
  }

  #perform(command: DriverCommand): void {
    const { checker, prng } = this.#host;
    const disk = this.disk;
    const { quorumWriteMaxMs, fsyncMaxMs, slowFsyncChance } = this.#parameters;
    switch (command.kind) {
      case CommandKind.send:
        for (const message of command.messages) {
          checker.onSend(this, message);
          this.#host.send(message);
        }
        return;
      case CommandKind.persistQuorumState:
        return this.#later(prng.nextInt(0, quorumWriteMaxMs + 1), command, () => {
          checker.onQuorumWrite(this, command.state);
          disk.writeQuorum(command.state);
        });
      case CommandKind.writeSnapshot:
        if (command.reason === 'create') {
          checker.onSnapshotCreated(this, command.id);
          this.snapshotsCreated += 1;
        }
        return this.#later(prng.nextInt(0, quorumWriteMaxMs + 1), command, () =>
          disk.saveSnapshot({ id: command.id, bytes: command.bytes }));
      case CommandKind.writeLog: {
        disk.write(command);
        if (!command.sync) {
          disk.deleteBefore(command.deleteBefore);
          return this.#driver.completed(command);
        }
        const delay = prng.chance(slowFsyncChance)
          ? prng.nextInt(20, 150)
          : prng.nextInt(0, fsyncMaxMs + 1);
        return this.#later(delay, command, () => {
          disk.sync();
          disk.deleteBefore(command.deleteBefore);
        });
      }
    }
  }

  /** The write is durable after `delay` ms (unless the node crashed meanwhile). */
  #later(delay: number, command: DurableCommand, write: () => void): void {
    const incarnation = this.incarnation;
    this.#host.queue.after(delay, () => {
      if (!this.alive || this.incarnation !== incarnation) return;
      write();
      this.#driver.completed(command);
      this.pump();
    });
  }
}
