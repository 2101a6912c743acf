/**
 * One seeded simulation run: a whole cluster (3 or 5 voters, 0-2 observers) in one process,
 * driven by one event queue over virtual time. The seed picks the cluster, the timeouts, the
 * fault mix and every random choice after that, so a run replays exactly from its seed.
 *
 * Phases: chaos (clients propose while the nemesis drops, delays, duplicates, partitions,
 * crashes and restarts), then heal (no more faults, everything restarted) until the cluster
 * converges. Invariants are checked after every event (invariants.ts); at the end every
 * acknowledged proposal must be applied exactly once, in order, on every node, and all state
 * machines must be equal.
 */
import { createPrng } from '../../lib/prng.js';
import type { Prng } from '../../lib/prng.js';
import type { RaftCoreConfig } from '../../raft/core/config.js';
import type { LogEntry, NodeId, RaftMessage } from '../../raft/core/types.js';
import { EntryKind, Role } from '../../raft/core/types.js';
import { EventQueue } from './event-queue.js';
import { InvariantChecker, InvariantViolation } from './invariants.js';
import { NO_NETWORK_FAULTS, SimNetwork } from './sim-network.js';
import type { NetworkFaults } from './sim-network.js';
import { SimNode } from './sim-node.js';
import type { NodeParameters } from './sim-node.js';
import { decodeValue } from './toy-state-machine.js';

export interface SimulationOptions {
  readonly seed: number;
  /** Virtual milliseconds of faults before everything heals (the per-run length). */
  readonly chaosMs?: number;
  /** Virtual ms the healed cluster gets to converge (default: max(60 s, 4 x chaosMs)). */
  readonly convergeMs?: number;
}

export const DEFAULT_CHAOS_MS = 3000;
export const DEFAULT_CONVERGE_MS = 60_000;
/** A run that needs more events than this is spinning without progress. */
const EVENTS_PER_RUN_MAX = 5_000_000;

export const FaultMix = {
  calm: 'calm',
  lossy: 'lossy',
  partitions: 'partitions',
  crashes: 'crashes',
  chaos: 'chaos',
} as const;
export type FaultMix = (typeof FaultMix)[keyof typeof FaultMix];
const FAULT_MIXES = Object.values(FaultMix);

export interface SimulationResult {
  readonly seed: number;
  readonly voters: number;
  readonly observers: number;
  readonly faultMix: FaultMix;
  readonly virtualMs: number;
  readonly convergedAfterMs: number;
  readonly events: number;
  readonly elections: number;
  readonly crashes: number;
  readonly partitions: number;
  readonly resignations: number;
  readonly snapshotsCreated: number;
  readonly snapshotsInstalled: number;
  readonly proposals: number;
  readonly acknowledged: number;
  readonly committedOffsets: number;
  readonly messages: number;
}

export class SimulationFailure extends Error {
  override name = 'SimulationFailure';
  readonly seed: number;
  constructor(seed: number, message: string, cause: unknown) {
    super(message, { cause });
    this.seed = seed;
  }
}

export function replayCommand(options: SimulationOptions): string {
  const chaos = options.chaosMs !== undefined && options.chaosMs !== DEFAULT_CHAOS_MS;
  const extra = chaos ? ` --chaos-ms ${options.chaosMs}` : '';
  return `npm run build && npm run sim -- --seed ${options.seed}${extra}`;
}

interface Scenario {
  readonly voters: readonly NodeId[];
  readonly observers: readonly NodeId[];
  readonly mix: FaultMix;
  readonly config: Omit<RaftCoreConfig, 'nodeId' | 'prng'>;
  readonly parameters: NodeParameters;
  readonly faults: NetworkFaults;
  readonly nemesisEveryMs: readonly [number, number];
}

function pick<T>(prng: Prng, items: readonly T[]): T {
  return items[prng.nextInt(0, items.length)]!;
}

function chooseScenario(prng: Prng): Scenario {
  const voterCount = prng.chance(0.5) ? 3 : 5;
  const observerCount = prng.nextInt(0, 3);
  const voters = Array.from({ length: voterCount }, (_, index) => index + 1);
  const observers = Array.from({ length: observerCount }, (_, index) => voterCount + index + 1);
  const mix = pick(prng, FAULT_MIXES);
  const electionTimeoutTicks = prng.nextInt(8, 20);
  const requestTimeoutTicks = prng.nextInt(5, 15);
  const config = {
    voters,
    electionTimeoutTicks,
    fetchTimeoutTicks: 2 * electionTimeoutTicks,
    electionBackoffMaxTicks: prng.nextInt(3, 20),
    requestTimeoutTicks,
    fetchMaxWaitTicks: prng.nextInt(0, Math.min(6, requestTimeoutTicks)),
    fetchMaxBytes: pick(prng, [4, 16, 64, 1024]),
    snapshotChunkBytes: pick(prng, [8, 40, 256, 4096]),
    maxUncommittedBytes: pick(prng, [16, 64, 4096]),
  };
  const harsh = mix === FaultMix.chaos || mix === FaultMix.crashes;
  const parameters: NodeParameters = {
    snapshotEveryEntries: prng.nextInt(4, 60),
    retainEntriesMax: prng.nextInt(0, 6),
    quorumWriteMaxMs: prng.nextInt(0, 4),
    fsyncMaxMs: prng.nextInt(0, 12),
    slowFsyncChance: prng.chance(0.5) ? 0.05 : 0,
    keepPrefixChance: harsh ? 0.5 : 0,
    tornChance: harsh ? 0.5 : 0,
  };
  const lossy = mix === FaultMix.lossy || mix === FaultMix.chaos;
  const faults: NetworkFaults = lossy
    ? {
        dropRate: prng.nextFloat() * 0.15,
        duplicateRate: prng.nextFloat() * 0.05,
        delayMinMs: 1, // at least 1 ms: zero-delay ping-pong would stop virtual time
        delayMaxMs: prng.nextInt(1, 15),
        slowRate: prng.nextFloat() * 0.05,
        slowMaxMs: prng.nextInt(20, 400),
      }
    : { ...NO_NETWORK_FAULTS, delayMaxMs: prng.nextInt(1, 6) };
  return { voters, observers, mix, config, parameters, faults, nemesisEveryMs: [50, 400] };
}

/** What clients were told: acknowledged values, and proposals whose fate is still open. */
interface Oracle {
  nextValue: number;
  proposals: number;
  readonly pending: Map<NodeId, Map<number, { epoch: number; value: number }>>;
  readonly acknowledged: { offset: number; value: number }[];
}

class Simulation {
  readonly options: SimulationOptions;
  readonly prng: Prng;
  readonly queue = new EventQueue();
  readonly scenario: Scenario;
  readonly checker: InvariantChecker;
  readonly network: SimNetwork;
  readonly nodes = new Map<NodeId, SimNode>();
  readonly all: readonly NodeId[];
  readonly oracle: Oracle = { nextValue: 1, proposals: 0, pending: new Map(), acknowledged: [] };
  readonly counters = { crashes: 0, partitions: 0, resignations: 0, snapshotsInstalled: 0 };
  healed = false;
  clientsStopped = false;
  readonly clientTargets: NodeId[] = [];

  constructor(options: SimulationOptions) {
    this.options = options;
    this.prng = createPrng(options.seed);
    this.scenario = chooseScenario(this.prng);
    this.all = [...this.scenario.voters, ...this.scenario.observers];
    this.checker = new InvariantChecker(this.scenario.voters);
    this.network = new SimNetwork(this.prng.fork(), this.queue, this.scenario.faults, (m) =>
      this.nodes.get(m.to)?.deliver(m),
    );
    const host = {
      queue: this.queue,
      prng: this.prng,
      checker: this.checker,
      send: (message: RaftMessage) => this.network.send(message),
      applied: (node: SimNode, entry: LogEntry) => this.#applied(node, entry),
      snapshotInstalled: (node: SimNode) => this.#snapshotInstalled(node),
    };
    for (const id of this.all) {
      const config = { ...this.scenario.config, nodeId: id };
      this.nodes.set(id, new SimNode(id, config, this.scenario.parameters, host));
    }
  }

  run(): SimulationResult {
    const chaosMs = this.options.chaosMs ?? DEFAULT_CHAOS_MS;
    for (const node of this.nodes.values()) node.start();
    for (let client = 0; client < 2; client++) {
      this.clientTargets.push(pick(this.prng, this.all));
      this.#scheduleClient(client);
    }
    if (this.scenario.mix !== FaultMix.calm) this.#scheduleNemesis();
    this.#runUntil(chaosMs);
    this.#heal();
    this.#runUntil(chaosMs + 300);
    this.clientsStopped = true;
    const convergedAt = this.#runUntilConverged(
      // Long runs pile up long backlogs (tiny fetch and chunk sizes are among the picks).
      chaosMs + 300 + (this.options.convergeMs ?? Math.max(DEFAULT_CONVERGE_MS, 4 * chaosMs)),
    );
    this.#checkFinalState();
    return this.#result(convergedAt - chaosMs);
  }

  #runUntil(time: number): void {
    while (this.queue.runNext(time)) {
      this.#checkAll();
      if (this.queue.processed > EVENTS_PER_RUN_MAX) {
        throw new InvariantViolation(`Liveness: over ${EVENTS_PER_RUN_MAX} events (a livelock?)`);
      }
    }
    this.queue.advanceTo(time);
  }

  #checkAll(): void {
    for (const node of this.nodes.values()) if (node.alive) this.checker.checkNode(node);
    this.checker.checkQuorums(this.nodes);
  }

  #scheduleClient(client: number): void {
    this.queue.after(this.prng.nextInt(3, 40), () => {
      if (this.clientsStopped) return;
      this.#propose(client);
      this.#scheduleClient(client);
    });
  }

  #propose(client: number): void {
    const target = this.clientTargets[client]!;
    const node = this.nodes.get(target)!;
    const values = Array.from({ length: this.prng.nextInt(1, 4) }, () => this.oracle.nextValue++);
    const result = node.propose(values);
    if (
      result === undefined ||
      (!result.ok && result.error === 'NOT_LEADER_OR_FOLLOWER' && result.leaderId < 0)
    ) {
      this.clientTargets[client] = pick(this.prng, this.all);
      return;
    }
    if (!result.ok) {
      if (result.error === 'NOT_LEADER_OR_FOLLOWER') this.clientTargets[client] = result.leaderId;
      return;
    }
    this.oracle.proposals += values.length;
    let pending = this.oracle.pending.get(target);
    if (pending === undefined) this.oracle.pending.set(target, (pending = new Map()));
    values.forEach((value, index) =>
      pending.set(result.firstOffset + index, { epoch: result.epoch, value }),
    );
  }

  /** A proposal is acknowledged when its proposer applies it at the offset and epoch it got. */
  #applied(node: SimNode, entry: LogEntry): void {
    const pending = this.oracle.pending.get(node.id);
    const proposal = pending?.get(entry.offset);
    if (pending === undefined || proposal === undefined) return;
    pending.delete(entry.offset);
    if (entry.epoch !== proposal.epoch) return;
    if (entry.kind !== EntryKind.data || decodeValue(entry.data) !== proposal.value) {
      throw new InvariantViolation(
        `LogMatching: offset ${entry.offset} epoch ${entry.epoch} changed value`,
      );
    }
    this.oracle.acknowledged.push({ offset: entry.offset, value: proposal.value });
  }

  #snapshotInstalled(node: SimNode): void {
    this.counters.snapshotsInstalled += 1;
    const pending = this.oracle.pending.get(node.id);
    if (pending === undefined) return;
    for (const offset of pending.keys()) if (offset < node.sm.appliedOffset) pending.delete(offset);
  }

  #crash(node: SimNode): void {
    if (!node.alive) return;
    node.crash();
    this.counters.crashes += 1;
    this.oracle.pending.get(node.id)?.clear();
    // The peers' transports see the connections close at once (KIP-595 fast failover path).
    for (const other of this.nodes.values()) {
      if (other === node) continue;
      this.queue.after(this.prng.nextInt(0, 4), () => other.peerDisconnected(node.id));
    }
    const downMs = this.prng.nextInt(10, 800);
    const incarnation = node.incarnation;
    this.queue.after(downMs, () => {
      if (!node.alive && node.incarnation === incarnation) node.start();
    });
  }

  #leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const node of this.nodes.values()) {
      if (
        node.alive &&
        node.core.role === Role.leader &&
        (best === undefined || node.core.epoch > best.core.epoch)
      ) {
        best = node;
      }
    }
    return best;
  }

  #scheduleNemesis(): void {
    const [min, max] = this.scenario.nemesisEveryMs;
    this.queue.after(this.prng.nextInt(min, max), () => {
      if (this.healed) return;
      this.#nemesis();
      this.#scheduleNemesis();
    });
  }

  #nemesis(): void {
    const mix = this.scenario.mix;
    const actions: (() => void)[] = [() => this.#resignLeader()];
    if (mix === FaultMix.partitions || mix === FaultMix.chaos) {
      actions.push(
        () => this.#partition(),
        () => this.#partition(),
        () => this.network.healAll(),
      );
    }
    if (mix === FaultMix.crashes || mix === FaultMix.chaos) {
      actions.push(
        () => this.#crash(this.nodes.get(pick(this.prng, this.all))!),
        () => {
          const leader = this.#leader();
          if (leader !== undefined) this.#crash(leader);
        },
        () => this.#spuriousDisconnect(),
      );
    }
    if (mix === FaultMix.lossy) actions.push(() => undefined);
    pick(this.prng, actions)();
  }

  #resignLeader(): void {
    const leader = this.#leader();
    if (leader === undefined || !this.prng.chance(0.3)) return;
    this.counters.resignations += 1;
    leader.resign();
  }

  /** A connection drops although both ends live (a transient reset): must stay safe. */
  #spuriousDisconnect(): void {
    const a = this.nodes.get(pick(this.prng, this.all))!;
    const leader = this.#leader();
    const b = leader !== undefined && this.prng.chance(0.7) ? leader.id : pick(this.prng, this.all);
    if (a.id !== b) a.peerDisconnected(b);
  }

  #partition(): void {
    this.counters.partitions += 1;
    const all = this.all;
    const node = pick(this.prng, all);
    const other = pick(
      this.prng,
      all.filter((id) => id !== node),
    );
    const leader = this.#leader()?.id ?? node;
    switch (this.prng.nextInt(0, 5)) {
      case 0:
        return this.network.isolate(node, all);
      case 1:
        return this.network.isolate(leader, all);
      case 2: {
        const side = all.filter(() => this.prng.chance(0.5));
        return this.network.split(side, all);
      }
      case 3:
        // One-way: e.g. the leader can send but not hear (a zombie, check-quorum must act).
        return this.network.blockOneWay(this.prng.chance(0.5) ? leader : node, other);
      default:
        // Non-transitive: these two cannot talk, yet both reach everyone else.
        return this.network.block(node, other);
    }
  }

  #heal(): void {
    this.healed = true;
    this.network.healAll();
    this.network.faults = { ...NO_NETWORK_FAULTS, delayMaxMs: this.scenario.faults.delayMaxMs };
    for (const node of this.nodes.values()) if (!node.alive) node.start();
  }

  #converged(): boolean {
    const leader = this.#leader();
    if (leader === undefined) return false;
    const { epoch, highWatermark, logEndOffset } = leader.core;
    if (highWatermark !== logEndOffset) return false;
    for (const node of this.nodes.values()) {
      if (!node.alive || node.busy || node.core.epoch !== epoch) return false;
      if (node !== leader && node.core.role !== Role.follower) return false;
      if (node.core.logEndOffset !== highWatermark || node.sm.appliedOffset !== highWatermark)
        return false;
    }
    return true;
  }

  #runUntilConverged(deadline: number): number {
    for (;;) {
      if (this.#converged()) return this.queue.now;
      if (this.queue.now >= deadline) {
        const states = [...this.nodes.values()].map((n) => {
          const c = n.core;
          const offsets = `hw=${c.highWatermark} end=${c.logEndOffset} applied=${n.sm.appliedOffset}`;
          return `${n.id}:${c.role}@${c.epoch} ${offsets}`;
        });
        throw new InvariantViolation(
          `Liveness: no convergence after healing (${states.join(', ')})`,
        );
      }
      this.#runUntil(Math.min(deadline, this.queue.now + 50));
    }
  }

  #checkFinalState(): void {
    const machines = [...this.nodes.values()].map((node) => node.sm);
    const reference = machines[0]!;
    for (const [index, machine] of machines.entries()) {
      if (machine.hash !== reference.hash || machine.values.length !== reference.values.length) {
        throw new InvariantViolation(`FinalState: node ${this.all[index]} state machine differs`);
      }
    }
    const position = new Map<number, number>();
    reference.values.forEach((value, index) => {
      if (position.has(value))
        throw new InvariantViolation(`FinalState: value ${value} applied twice`);
      position.set(value, index);
    });
    const acknowledged = [...this.oracle.acknowledged].sort((a, b) => a.offset - b.offset);
    let previous = -1;
    for (const { offset, value } of acknowledged) {
      const at = position.get(value);
      if (at === undefined)
        throw new InvariantViolation(
          `FinalState: acknowledged value ${value} (offset ${offset}) lost`,
        );
      if (at <= previous)
        throw new InvariantViolation(`FinalState: acknowledged value ${value} out of order`);
      previous = at;
    }
  }

  #result(convergedAfterMs: number): SimulationResult {
    const snapshotsCreated = [...this.nodes.values()].reduce(
      (sum, node) => sum + node.snapshotsCreated,
      0,
    );
    return {
      seed: this.options.seed,
      voters: this.scenario.voters.length,
      observers: this.scenario.observers.length,
      faultMix: this.scenario.mix,
      virtualMs: this.queue.now,
      convergedAfterMs,
      events: this.queue.processed,
      elections: this.checker.elections,
      crashes: this.counters.crashes,
      partitions: this.counters.partitions,
      resignations: this.counters.resignations,
      snapshotsCreated,
      snapshotsInstalled: this.counters.snapshotsInstalled,
      proposals: this.oracle.proposals,
      acknowledged: this.oracle.acknowledged.length,
      committedOffsets: this.checker.committedEndOffset,
      messages: this.network.counters.sent,
    };
  }
}

/** Runs one seeded simulation; a failure throws with the seed and the command to replay it. */
export function runSimulation(options: SimulationOptions): SimulationResult {
  const simulation = new Simulation(options);
  try {
    return simulation.run();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // InvariantViolation (a rule broken), AssertionFailure (the core caught its own bug), or
    // any other error: all fail the run with its seed.
    const { mix, voters, observers } = simulation.scenario;
    const at =
      `at virtual ${simulation.queue.now} ms, mix ${mix}, ` +
      `${voters.length} voters + ${observers.length} observers`;
    const message =
      `seed ${options.seed} failed ${at}: ${error.name}: ${error.message}\n` +
      `replay: ${replayCommand(options)}`;
    throw new SimulationFailure(options.seed, message, error);
  }
}
