/**
 * One seeded simulation run: a whole cluster (3 or 5 voters, 0-2 observers) in one process,
 * driven by one event queue over virtual time. The seed picks the cluster, the timeouts, the
 * fault mix and every random choice after that, so a run replays exactly from its seed.
 *
 * Phases: chaos (clients propose while the nemesis drops, delays, duplicates, partitions,
 * crashes and restarts), then heal (no more faults, everything restarted) until the cluster
 * converges. Invariants are checked after every event (invariants.ts); then the workload's
 * own end-of-run checks run.
 *
 * Every node runs the production Raft driver (raft/driver, hosted by sim-node.ts) on a
 * simulated disk and network: what is tested is what production runs, down to group commit,
 * proposal deadlines and the snapshot install order; the seed also picks the driver's limits.
 *
 * The workload (its clients, oracle, state machine and final checks) is pluggable: the toy one
 * (toy-workload.ts, runSimulation) checks that every acknowledged proposal is applied exactly
 * once, in order, on every node; the metadata one (metadata-simulation.ts) runs the quorum
 * controller through the production controller driver. Both consume the seed's random stream
 * the same way up to their clients.
 */
import { createPrng } from '../../lib/prng.js';
import type { Prng } from '../../lib/prng.js';
import type { LogEntry, NodeId, RaftMessage } from '../../raft/core/types.js';
import { Role } from '../../raft/core/types.js';
import { EventQueue } from './event-queue.js';
import { InvariantChecker, InvariantViolation } from './invariants.js';
import { NO_NETWORK_FAULTS, SimNetwork } from './sim-network.js';
import type { NetworkFaults } from './sim-network.js';
import { SimNode } from './sim-node.js';
import type { NodeParameters } from './sim-node.js';
import type { SimStateMachine } from './sim-state-machine.js';
import { ToyWorkload } from './toy-workload.js';
import type { RaftSettings, SimulationContext, Workload } from './workload.js';

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

/** `flag` names the workload on the command line (cli.ts), e.g. '--metadata'. */
export function replayCommand(options: SimulationOptions, flag?: string): string {
  const chaos = options.chaosMs !== undefined && options.chaosMs !== DEFAULT_CHAOS_MS;
  const workload = flag !== undefined ? `${flag} ` : '';
  const extra = chaos ? ` --chaos-ms ${options.chaosMs}` : '';
  return `npm run build && npm run sim -- ${workload}--seed ${options.seed}${extra}`;
}

/** What a workload sees of the cluster. */
export type { RaftSettings, SimulationContext, Workload };

interface Scenario {
  readonly voters: readonly NodeId[];
  readonly observers: readonly NodeId[];
  readonly mix: FaultMix;
  readonly config: RaftSettings;
  readonly parameters: NodeParameters;
  readonly faults: NetworkFaults;
  readonly nemesisEveryMs: readonly [number, number];
}

export function pick<T>(prng: Prng, items: readonly T[]): T {
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
    // At least one tick, as RaftCore requires (see its config checks) and RaftNode guarantees.
    fetchMaxWaitTicks: prng.nextInt(1, Math.min(6, requestTimeoutTicks)),
    fetchMaxBytes: pick(prng, [4, 16, 64, 1024]),
    snapshotChunkBytes: pick(prng, [8, 40, 256, 4096]),
    maxUncommittedBytes: pick(prng, [16, 64, 4096]),
  };
  const harsh = mix === FaultMix.chaos || mix === FaultMix.crashes;
  const snapshotEveryEntries = prng.nextInt(4, 60);
  const retainEntriesMax = prng.nextInt(0, 6);
  const quorumWriteMaxMs = prng.nextInt(0, 4);
  const fsyncMaxMs = prng.nextInt(0, 12);
  const slowFsyncChance = prng.chance(0.5) ? 0.05 : 0;
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
  const parameters: NodeParameters = {
    snapshotEveryEntries, retainEntriesMax, quorumWriteMaxMs, fsyncMaxMs, slowFsyncChance,
    keepPrefixChance: harsh ? 0.5 : 0,
    tornChance: harsh ? 0.5 : 0,
    // Group commit over one to a few entries per batch; backpressure; proposals that time out
    // (REQUEST_TIMED_OUT) within a partition or two.
    limits: {
      maxBatchBytes: pick(prng, [4, 12, 1024]),
      maxBufferedProposalBytes: pick(prng, [64, 1 << 20]),
      proposalTimeoutTicks: prng.nextInt(30, 300),
    },
  };
  return { voters, observers, mix, config, parameters, faults, nemesisEveryMs: [50, 400] };
}

class Simulation<M extends SimStateMachine> {
  readonly options: SimulationOptions;
  readonly workload: Workload<M>;
  readonly prng: Prng;
  readonly queue = new EventQueue();
  readonly scenario: Scenario;
  readonly checker: InvariantChecker;
  readonly network: SimNetwork;
  readonly nodes = new Map<NodeId, SimNode<M>>();
  readonly all: readonly NodeId[];
  readonly counters = { crashes: 0, partitions: 0, resignations: 0, snapshotsInstalled: 0 };
  healed = false;

  constructor(options: SimulationOptions, workload: Workload<M>) {
    this.options = options;
    this.workload = workload;
    this.prng = createPrng(options.seed);
    const scenario = chooseScenario(this.prng);
    const config = workload.raftConfig?.(scenario.config) ?? scenario.config;
    const limits = workload.driverLimits?.(scenario.parameters.limits) ??
      scenario.parameters.limits;
    this.scenario = { ...scenario, config, parameters: { ...scenario.parameters, limits } };
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
      started: (node: SimNode<M>) => workload.started(node),
      applied: (node: SimNode<M>, entries: readonly LogEntry[]) => workload.applied(node, entries),
      snapshotInstalled: (node: SimNode<M>) => {
        this.counters.snapshotsInstalled += 1;
        workload.snapshotInstalled(node);
      },
    };
    for (const id of this.all) {
      const config = { ...this.scenario.config, nodeId: id };
      const { parameters } = this.scenario;
      this.nodes.set(id, new SimNode(id, config, parameters, host, workload.machines));
    }
  }

  get seed(): number {
    return this.options.seed;
  }

  run(): SimulationResult {
    const chaosMs = this.options.chaosMs ?? DEFAULT_CHAOS_MS;
    for (const node of this.nodes.values()) node.start();
    this.workload.start(this);
    if (this.scenario.mix !== FaultMix.calm) this.#scheduleNemesis();
    this.#runUntil(chaosMs);
    this.#heal();
    this.#runUntil(chaosMs + 300);
    this.workload.stopClients();
    const convergedAt = this.#runUntilConverged(
      // Long runs pile up long backlogs (tiny fetch and chunk sizes are among the picks).
      chaosMs + 300 + (this.options.convergeMs ?? Math.max(DEFAULT_CONVERGE_MS, 4 * chaosMs)),
    );
    this.workload.checkFinal();
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
    this.workload.afterEvent();
  }

  #crash(node: SimNode<M>): void {
    if (!node.alive) return;
    node.crash();
    this.counters.crashes += 1;
    this.workload.crashed(node);
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

  #leader(): SimNode<M> | undefined {
    let best: SimNode<M> | undefined;
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
    return this.workload.converged();
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
      proposals: this.workload.proposals,
      acknowledged: this.workload.acknowledged,
      committedOffsets: this.checker.committedEndOffset,
      messages: this.network.counters.sent,
    };
  }
}

/** Runs one seeded toy simulation; a failure throws with the seed and the replay command. */
export function runSimulation(options: SimulationOptions): SimulationResult {
  return runWorkload(options, new ToyWorkload());
}

/**
 * Runs one seeded simulation of `workload`; a failure throws with the seed and the command to
 * replay it (`flag` selects the workload in cli.ts).
 */
export function runWorkload<M extends SimStateMachine>(
  options: SimulationOptions, workload: Workload<M>, flag?: string,
): SimulationResult {
  const simulation = new Simulation(options, workload);
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
      `replay: ${replayCommand(options, flag)}`;
    throw new SimulationFailure(options.seed, message, error);
  }
}
