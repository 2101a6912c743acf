/**
 * What a simulation workload plugs into the seeded cluster (simulation.ts): its state machines,
 * its clients, an oracle of what the clients were told, and its checks. The toy workload
 * (toy-workload.ts) and the metadata workload (metadata-simulation.ts) implement it. In its own
 * file so that workloads and the simulation do not import each other.
 */
import type { Prng } from '../../lib/prng.js';
import type { RaftCoreConfig } from '../../raft/core/config.js';
import type { LogEntry, NodeId } from '../../raft/core/types.js';
import type { DriverLimits } from '../../raft/driver/index.js';
import type { EventQueue } from './event-queue.js';
import type { SimNode } from './sim-node.js';
import type { SimStateMachine, StateMachineFactory } from './sim-state-machine.js';

export interface SimulationContext<M extends SimStateMachine> {
  readonly seed: number;
  readonly prng: Prng;
  readonly queue: EventQueue;
  readonly nodes: ReadonlyMap<NodeId, SimNode<M>>;
  readonly all: readonly NodeId[];
}

/** Clients, an oracle of what they were told, and the checks of one kind of state machine. */
export interface Workload<M extends SimStateMachine> {
  readonly machines: StateMachineFactory<M>;
  /** Adapts the seed's Raft settings to the workload's entry sizes (draws no random numbers). */
  raftConfig?(config: RaftSettings): RaftSettings;
  /** The same for the driver's limits (buffered and batched proposal bytes). */
  driverLimits?(limits: DriverLimits): DriverLimits;
  /** The cluster runs (the nodes started): schedule the clients. */
  start(context: SimulationContext<M>): void;
  /** After every event, after the Raft invariants were checked. */
  afterEvent(): void;
  /** A node (re)started: its driver exists and nothing has happened on it yet. */
  started(node: SimNode<M>): void;
  /** A node applied a batch of committed entries (its committed listener). */
  applied(node: SimNode<M>, entries: readonly LogEntry[]): void;
  snapshotInstalled(node: SimNode<M>): void;
  crashed(node: SimNode<M>): void;
  /** The clients send nothing more (the cluster is healed and converging). */
  stopClients(): void;
  /** Beyond Raft's convergence (every node applied the whole log). */
  converged(): boolean;
  /** End of run, after convergence: throws InvariantViolation. */
  checkFinal(): void;
  readonly proposals: number;
  readonly acknowledged: number;
}

export type RaftSettings = Omit<RaftCoreConfig, 'nodeId' | 'prng'>;
