/**
 * The toy workload of the Raft simulation (simulation.ts): two clients propose numbered values
 * to the node they believe leads, and the oracle remembers what they were told. A proposal is
 * acknowledged when its proposer applies it at the offset and epoch it got; at the end every
 * acknowledged value must be applied exactly once, in order, and all state machines be equal.
 */
import type { Prng } from '../../lib/prng.js';
import type { LogEntry, NodeId } from '../../raft/core/types.js';
import { EntryKind } from '../../raft/core/types.js';
import { InvariantViolation } from './invariants.js';
import type { SimNode } from './sim-node.js';
// Types only: simulation.ts imports this file, and imports must not form a cycle.
import type { SimulationContext, Workload } from './workload.js';
import { decodeValue, toyStateMachines } from './toy-state-machine.js';
import type { ToyStateMachine } from './toy-state-machine.js';

function pick<T>(prng: Prng, items: readonly T[]): T {
  return items[prng.nextInt(0, items.length)]!;
}

/** What clients were told: acknowledged values, and proposals whose fate is still open. */
interface Oracle {
  nextValue: number;
  proposals: number;
  readonly pending: Map<NodeId, Map<number, { epoch: number; value: number }>>;
  readonly acknowledged: { offset: number; value: number }[];
}

export class ToyWorkload implements Workload<ToyStateMachine> {
  readonly machines = toyStateMachines;
  readonly oracle: Oracle = { nextValue: 1, proposals: 0, pending: new Map(), acknowledged: [] };
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
    const target = this.clientTargets[client]!;
    const node = nodes.get(target)!;
    const values = Array.from({ length: prng.nextInt(1, 4) }, () => this.oracle.nextValue++);
    const result = node.propose(values);
    if (
      result === undefined ||
      (!result.ok && result.error === 'NOT_LEADER_OR_FOLLOWER' && result.leaderId < 0)
    ) {
      this.clientTargets[client] = pick(prng, all);
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
  applied(node: SimNode<ToyStateMachine>, entry: LogEntry): void {
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

  snapshotInstalled(node: SimNode<ToyStateMachine>): void {
    const pending = this.oracle.pending.get(node.id);
    if (pending === undefined) return;
    for (const offset of pending.keys()) if (offset < node.sm.appliedOffset) pending.delete(offset);
  }

  crashed(node: SimNode<ToyStateMachine>): void {
    this.oracle.pending.get(node.id)?.clear();
  }

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
