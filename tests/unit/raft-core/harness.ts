/**
 * A small synchronous harness for scenario tests of RaftCore: nodes that run the production
 * driver (raft/driver) on an instant disk, a message queue the test can inspect, drop, block or
 * deliver, and helpers to tick, elect, crash and restart. The simulator (tests/sim) is the
 * asynchronous, faulty counterpart; neither has a Ready loop of its own
 * (tests/unit/architecture/ready-loops.test.ts).
 */
import { assert } from '../../../lib/assert.js';
import { createPrng } from '../../../lib/prng.js';
import type { RaftCoreConfig, RaftCoreInitialState } from '../../../raft/core/config.js';
import type { RaftCore } from '../../../raft/core/raft-core.js';
import { EntryKind, RaftError, Role } from '../../../raft/core/types.js';
import { CommandKind, RaftDriver } from '../../../raft/driver/index.js';
import type {
  DriverCommand, DriverLimits, DurableCommand, SnapshotPolicy,
} from '../../../raft/driver/index.js';
import type { StateMachine } from '../../../raft/state-machine.js';
import type {
  LogEntry,
  NodeId,
  QuorumState,
  FetchResponse,
  RaftMessage,
  RaftMessageType,
  Ready,
  SnapshotId,
} from '../../../raft/core/types.js';

export type TestConfig = Omit<RaftCoreConfig, 'nodeId' | 'voters' | 'prng'>;

export const TEST_CONFIG: TestConfig = {
  electionTimeoutTicks: 10,
  fetchTimeoutTicks: 20,
  electionBackoffMaxTicks: 10,
  requestTimeoutTicks: 6,
  fetchMaxWaitTicks: 3,
  fetchMaxBytes: 1 << 20,
  snapshotChunkBytes: 64,
  maxUncommittedBytes: 1 << 20,
};

export function value(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff, 0, 0]);
}

export function entry(offset: number, epoch: number, n = offset): LogEntry {
  return { offset, epoch, kind: EntryKind.data, data: value(n) };
}

/** What an instant disk holds for one node. */
export interface Durable {
  quorum: QuorumState;
  snapshot: { id: SnapshotId; bytes: Uint8Array } | undefined;
  logStartOffset: number;
  entries: LogEntry[];
}

export function emptyDurable(): Durable {
  return {
    quorum: { epoch: 0, votedId: -1, leaderId: -1 },
    snapshot: undefined,
    logStartOffset: 0,
    entries: [],
  };
}

export function initialState(durable: Durable): RaftCoreInitialState {
  return {
    quorumState: durable.quorum,
    ...(durable.snapshot !== undefined ? { snapshot: durable.snapshot } : {}),
    entries: [...durable.entries],
    logStartOffset: durable.logStartOffset,
  };
}

/** Never snapshots on its own: tests call takeSnapshot(). */
const NO_AUTOMATIC_SNAPSHOTS: SnapshotPolicy = { afterApply: () => undefined, reset: () => {} };

export const TEST_LIMITS: DriverLimits = {
  maxBufferedProposalBytes: 1 << 30, maxBatchBytes: 1 << 20, proposalTimeoutTicks: 1000,
};

/** Records what it applies; its snapshot is the applied end offset as padded text. */
class RecordingStateMachine implements StateMachine {
  readonly applied: LogEntry[] = [];
  #endOffset = 0;

  apply(entries: readonly LogEntry[]): void {
    this.applied.push(...entries);
    this.#endOffset = entries[entries.length - 1]!.offset + 1;
  }

  snapshot(): Uint8Array {
    return new TextEncoder().encode(`snapshot@${this.#endOffset}:`.padEnd(200, '#'));
  }

  restore(id: SnapshotId): void {
    this.#endOffset = id.endOffset;
  }
}

/**
 * One node: the production driver (raft/driver) on an instant disk. drain() runs it until it
 * is idle; begin() runs it until it took the next Ready and holds that Ready's first durable
 * write, so that a test can act while the "fsync" runs; finish() completes it.
 */
export class TestNode {
  readonly id: NodeId;
  driver: RaftDriver;
  readonly durable: Durable;
  /** Every entry handed out as committed, in order (a snapshot install resets nothing here). */
  readonly applied: LogEntry[];
  readonly readies: Ready[] = [];
  readonly #config: RaftCoreConfig;
  readonly #machine = new RecordingStateMachine();
  #outbox: RaftMessage[] = [];
  #held: DurableCommand | undefined;

  readonly #limits: DriverLimits;

  constructor(
    id: NodeId, config: RaftCoreConfig, durable: Durable = emptyDurable(),
    limits: DriverLimits = TEST_LIMITS,
  ) {
    this.id = id;
    this.#config = config;
    this.#limits = limits;
    this.durable = durable;
    this.applied = this.#machine.applied;
    this.driver = this.#newDriver(config);
  }

  get core(): RaftCore {
    return this.driver.core;
  }

  #newDriver(config: RaftCoreConfig): RaftDriver {
    return new RaftDriver({
      config, initial: initialState(this.durable), stateMachine: this.#machine,
      limits: this.#limits,
      snapshotPolicy: NO_AUTOMATIC_SNAPSHOTS,
      observer: { readyTaken: (ready) => this.readies.push(ready) },
    });
  }

  /** Processes every pending Ready in full (instant disk) and returns the messages, in order. */
  drain(): RaftMessage[] {
    if (this.#held !== undefined) this.#complete(this.#held);
    this.#held = undefined;
    for (let c = this.driver.next(); c !== undefined; c = this.driver.next()) this.#perform(c);
    const sent = this.#outbox;
    this.#outbox = [];
    return sent;
  }

  /** Takes the next Ready and stops at its first durable write (held until finish()). */
  begin(): Ready {
    assert(this.#held === undefined, 'a Ready is already held');
    const taken = this.readies.length;
    for (let c = this.driver.next(); c !== undefined; c = this.driver.next()) {
      if (c.kind !== CommandKind.send && this.readies.length > taken) {
        this.#held = c;
        break;
      }
      this.#perform(c);
    }
    const ready = this.readies[taken];
    assert(ready !== undefined, 'no Ready to take');
    return ready;
  }

  /** Completes the held write and everything after it; returns what was sent since begin(). */
  finish(): RaftMessage[] {
    return this.drain();
  }

  #perform(command: DriverCommand): void {
    if (command.kind === CommandKind.send) this.#outbox.push(...command.messages);
    else this.#complete(command);
  }

  #complete(command: DurableCommand): void {
    const d = this.durable;
    switch (command.kind) {
      case CommandKind.persistQuorumState:
        d.quorum = command.state;
        break;
      case CommandKind.writeSnapshot:
        d.snapshot = { id: command.id, bytes: command.bytes };
        break;
      case CommandKind.writeLog:
        if (command.resetTo !== undefined) {
          d.entries = [];
          d.logStartOffset = command.resetTo;
        }
        if (command.truncateFrom !== undefined)
          d.entries.length = Math.max(0, command.truncateFrom - d.logStartOffset);
        d.entries.push(...command.append);
        if (command.deleteBefore !== undefined && command.deleteBefore > d.logStartOffset) {
          d.entries = d.entries.slice(command.deleteBefore - d.logStartOffset);
          d.logStartOffset = command.deleteBefore;
        }
        break;
    }
    this.driver.completed(command);
  }

  /** The state machine takes a snapshot at its applied offset (bytes: the offset as text). */
  takeSnapshot(retainEntries = 0): SnapshotId {
    assert(this.#held === undefined && !this.driver.busy, 'snapshot of a busy node');
    this.driver.requestSnapshot(retainEntries);
    const command = this.driver.next();
    assert(command?.kind === CommandKind.writeSnapshot, 'no epoch for the snapshot end');
    this.#complete(command);
    return command.id;
  }

  restart(): void {
    this.#held = undefined;
    this.#outbox = [];
    this.driver = this.#newDriver({ ...this.#config, prng: this.#config.prng.fork() });
  }
}

export interface ClusterOptions {
  readonly voters: readonly NodeId[];
  readonly observers?: readonly NodeId[];
  readonly config?: Partial<TestConfig>;
  readonly seed?: number;
  /** Start some nodes from a prepared disk (default: empty). */
  readonly durables?: Readonly<Record<NodeId, Durable>>;
  readonly limits?: Partial<DriverLimits>;
}

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  readonly voters: readonly NodeId[];
  /** Messages sent and not yet delivered. */
  queue: RaftMessage[] = [];
  readonly down = new Set<NodeId>();
  readonly #blocked = new Set<string>();

  constructor(options: ClusterOptions) {
    this.voters = options.voters;
    const prng = createPrng(options.seed ?? 1);
    for (const id of [...options.voters, ...(options.observers ?? [])]) {
      const config = {
        ...TEST_CONFIG,
        ...options.config,
        nodeId: id,
        voters: options.voters,
        prng: prng.fork(),
      };
      const durable = options.durables?.[id] ?? emptyDurable();
      const limits = { ...TEST_LIMITS, ...options.limits };
      this.nodes.set(id, new TestNode(id, config, durable, limits));
    }
    this.process();
  }

  node(id: NodeId): TestNode {
    const node = this.nodes.get(id);
    assert(node !== undefined, `no node ${id}`);
    return node;
  }

  core(id: NodeId): RaftCore {
    return this.node(id).core;
  }

  /** Processes the Readies of every live node and queues what they send. */
  process(): void {
    for (const node of this.nodes.values()) {
      if (this.down.has(node.id)) continue;
      this.queue.push(...node.drain());
    }
  }

  blockOneWay(from: NodeId, to: NodeId): void {
    this.#blocked.add(`${from}>${to}`);
  }

  block(a: NodeId, b: NodeId): void {
    this.blockOneWay(a, b);
    this.blockOneWay(b, a);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.block(id, other);
  }

  heal(): void {
    this.#blocked.clear();
  }

  /** Delivers what is queued now (blocked links and dead nodes lose their messages). */
  deliver(drop?: (message: RaftMessage) => boolean): number {
    const batch = this.queue;
    this.queue = [];
    for (const message of batch) {
      if (this.#blocked.has(`${message.from}>${message.to}`) || this.down.has(message.to)) continue;
      if (drop?.(message) === true) continue;
      this.nodes.get(message.to)?.core.step(message);
    }
    this.process();
    return batch.length;
  }

  /** Delivers and processes until nothing is left in flight. */
  stabilize(maxRounds = 1000): void {
    this.process();
    for (let round = 0; this.queue.length > 0; round++) {
      assert(round < maxRounds, 'the cluster did not stabilize');
      this.deliver();
    }
  }

  /** `ticks` times: every live node (or only `only`) ticks once, then the cluster stabilizes. */
  tick(ticks = 1, only?: readonly NodeId[]): void {
    for (let i = 0; i < ticks; i++) {
      for (const node of this.nodes.values()) {
        if (this.down.has(node.id) || (only !== undefined && !only.includes(node.id))) continue;
        node.driver.tick();
      }
      this.stabilize();
    }
  }

  /** Ticks only `id` until it leads (the others' timers stand still so they do not compete). */
  elect(id: NodeId, maxTicks = 500): void {
    for (let i = 0; i < maxTicks && this.core(id).role !== Role.leader; i++) this.tick(1, [id]);
    assert(this.core(id).role === Role.leader, `node ${id} did not become leader`);
    this.stabilize();
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()]
      .filter((node) => !this.down.has(node.id) && node.core.role === Role.leader)
      .map((node) => node.id);
  }

  crash(id: NodeId): void {
    this.down.add(id);
    this.queue = this.queue.filter((message) => message.to !== id && message.from !== id);
  }

  restart(id: NodeId): void {
    this.down.delete(id);
    this.node(id).restart();
    this.process();
  }

  /** Proposes on `id` and replicates until stable; returns the first offset. */
  propose(id: NodeId, ...values: number[]): number {
    const result = this.core(id).propose(values.map(value));
    assert(result.ok, `propose failed: ${JSON.stringify(result)}`);
    this.stabilize();
    return result.firstOffset;
  }
}

export function messagesOfType<T extends RaftMessageType>(
  messages: readonly RaftMessage[],
  type: T,
): (RaftMessage & { body: Extract<RaftMessage['body'], { type: T }> })[] {
  return messages.filter((m) => m.body.type === type) as (RaftMessage & {
    body: Extract<RaftMessage['body'], { type: T }>;
  })[];
}

/** A core on its own, driven by hand: the test crafts every message it receives. */
export function soloCore(
  nodeId: NodeId,
  voters: readonly NodeId[],
  durable: Durable = emptyDurable(),
  config: Partial<TestConfig> = {},
): TestNode {
  const prng = createPrng(nodeId * 7919);
  return new TestNode(nodeId, { ...TEST_CONFIG, ...config, nodeId, voters, prng }, durable);
}

/** A FetchResponse from `from` to `to` in `epoch`, with every field not given left empty. */
export function fetchResponse(
  from: number,
  to: number,
  epoch: number,
  fields: Partial<FetchResponse>,
): RaftMessage {
  const body: FetchResponse = {
    type: 'FetchResponse',
    epoch,
    leaderId: from,
    error: RaftError.none,
    highWatermark: 0,
    logStartOffset: 0,
    entries: [],
    ...fields,
  };
  return { from, to, body };
}
