/**
 * The toy workload of the Raft simulation (simulation.ts): two clients propose numbered values
 * to the node they believe leads, through the driver's proposals (group commit, deadlines), and
 * the oracle remembers what they were told. A proposal is acknowledged when its callback says
 * it committed (its proposer applied it at the offset and epoch it was appended at); at the end
 * every acknowledged value must be applied exactly once, in order, and all state machines be
 * equal.
 */
import type { Prng } from '../../lib/prng.js';
import type { LogEntry, NodeId } from '../../raft/core/types.js';
import { EntryKind, Role } from '../../raft/core/types.js';
import type { ProposalResult } from '../../raft/driver/index.js';
import { ProposalError } from '../../raft/pending-proposals.js';
import { InvariantViolation } from './invariants.js';
import type { SimNode } from './sim-node.js';
// Types only: simulation.ts imports this file, and imports must not form a cycle.
import type { SimulationContext, Workload } from './workload.js';
import { decodeValue, encodeValue, toyStateMachines } from './toy-state-machine.js';
import type { ToyStateMachine } from './toy-state-machine.js';

function pick<T>(prng: Prng, items: readonly T[]): T {
  return items[prng.nextInt(0, items.length)]!;
}

/** What clients were told: the values acknowledged, at their offsets. */
interface Oracle {
  nextValue: number;
  proposals: number;
  readonly acknowledged: { offset: number; value: number }[];
}

export class ToyWorkload implements Workload<ToyStateMachine> {
  readonly machines = toyStateMachines;
  readonly oracle: Oracle = { nextValue: 1, proposals: 0, acknowledged: [] };
  readonly clientTargets: NodeId[] = [];
  clientsStopped = false;
  #context!: SimulationContext<ToyStateMachine>;

  get proposals(): number {
    return this.oracle.proposals;
  }

  get acknowledged(): number {
    return this.oracle.acknowledged.length;
  }

  start(context: SimulationContext<ToyStateMachine>): void {
    this.#context = context;
    for (let client = 0; client < 2; client++) {
      this.clientTargets.push(pick(context.prng, context.all));
      this.#scheduleClient(client);
    }
  }

  afterEvent(): void {}

  stopClients(): void {
    this.clientsStopped = true;
  }

  converged(): boolean {
    return true;
  }

  #scheduleClient(client: number): void {
    const { queue, prng } = this.#context;
    queue.after(prng.nextInt(3, 40), () => {
      if (this.clientsStopped) return;
      this.#propose(client);
      this.#scheduleClient(client);
    });
  }

  #propose(client: number): void {
    const { prng, all, nodes } = this.#context;
    const node = nodes.get(this.clientTargets[client]!)!;
    if (!node.alive) {
      this.clientTargets[client] = pick(prng, all);
      return;
    }
    const count = prng.nextInt(1, 4);
    if (node.leaderAndEpoch.role === Role.leader) this.oracle.proposals += count;
    for (let index = 0; index < count; index++) {
      const value = this.oracle.nextValue++;
      node.submit(encodeValue(value), (result) => this.#settled(client, node, value, result));
    }
  }

  /** The proposer's callback: acknowledged at its offset, or retry where the hint points. */
  #settled(
    client: number, node: SimNode<ToyStateMachine>, value: number, result: ProposalResult,
  ): void {
    if (result instanceof ProposalError) {
      if (result.code !== 'NOT_LEADER_OR_FOLLOWER') return;
      this.clientTargets[client] =
        result.leaderId >= 0 ? result.leaderId : pick(this.#context.prng, this.#context.all);
      return;
    }
    const entry = node.core.entryAt(result.offset);
    if (
      entry === undefined || entry.epoch !== result.epoch ||
      entry.kind !== EntryKind.data || decodeValue(entry.data) !== value
    ) {
      throw new InvariantViolation(
        `LogMatching: offset ${result.offset} epoch ${result.epoch} changed value`,
      );
    }
    this.oracle.acknowledged.push({ offset: result.offset, value });
  }

  started(): void {}

  applied(_node: SimNode<ToyStateMachine>, _entries: readonly LogEntry[]): void {}

  snapshotInstalled(): void {}

  crashed(): void {}

  checkFinal(): void {
    const machines = [...this.#context.nodes.values()].map((node) => node.sm);
    const reference = machines[0]!;
    for (const [index, machine] of machines.entries()) {
      if (machine.hash !== reference.hash || machine.values.length !== reference.values.length) {
        throw new InvariantViolation(
          `FinalState: node ${this.#context.all[index]} state machine differs`,
        );
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
}
