/**
 * The simulated network: every message is delivered after a random delay (so messages reorder),
 * or dropped, or duplicated, and directed links can be blocked to build partitions: symmetric,
 * one-way, and non-transitive ones (A and B both reach C but not each other).
 */
import type { Prng } from '../../lib/prng.js';
import type { NodeId, RaftMessage } from '../../raft/core/types.js';
import type { EventQueue } from './event-queue.js';

export interface NetworkFaults {
  /** Probability that a message is lost. */
  readonly dropRate: number;
  /** Probability that a message is delivered twice. */
  readonly duplicateRate: number;
  readonly delayMinMs: number;
  readonly delayMaxMs: number;
  /** Probability that a message takes up to slowMaxMs instead (late, reordered delivery). */
  readonly slowRate: number;
  readonly slowMaxMs: number;
}

export const NO_NETWORK_FAULTS: NetworkFaults = {
  dropRate: 0,
  duplicateRate: 0,
  delayMinMs: 1,
  delayMaxMs: 3,
  slowRate: 0,
  slowMaxMs: 0,
};

export interface NetworkCounters {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

export class SimNetwork {
  faults: NetworkFaults;
  readonly counters: NetworkCounters = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
  readonly #blocked = new Set<string>();
  readonly #prng: Prng;
  readonly #queue: EventQueue;
  readonly #deliver: (message: RaftMessage) => void;

  constructor(
    prng: Prng,
    queue: EventQueue,
    faults: NetworkFaults,
    deliver: (m: RaftMessage) => void,
  ) {
    this.#prng = prng;
    this.#queue = queue;
    this.faults = faults;
    this.#deliver = deliver;
  }

  send(message: RaftMessage): void {
    this.counters.sent += 1;
    if (this.isBlocked(message.from, message.to) || this.#prng.chance(this.faults.dropRate)) {
      this.counters.dropped += 1;
      return;
    }
    this.#schedule(message);
    if (this.#prng.chance(this.faults.duplicateRate)) {
      this.counters.duplicated += 1;
      this.#schedule(message);
    }
  }

  #schedule(message: RaftMessage): void {
    const { delayMinMs, delayMaxMs, slowRate, slowMaxMs } = this.faults;
    const slow = slowMaxMs > delayMaxMs && this.#prng.chance(slowRate);
    const delay = slow
      ? this.#prng.nextInt(delayMaxMs, slowMaxMs + 1)
      : this.#prng.nextInt(delayMinMs, delayMaxMs + 1);
    this.#queue.after(delay, () => {
      // A link cut while the message was in flight loses it too.
      if (this.isBlocked(message.from, message.to)) {
        this.counters.dropped += 1;
        return;
      }
      this.counters.delivered += 1;
      this.#deliver(message);
    });
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.#blocked.has(`${from}>${to}`);
  }

  blockOneWay(from: NodeId, to: NodeId): void {
    this.#blocked.add(`${from}>${to}`);
  }

  block(a: NodeId, b: NodeId): void {
    this.blockOneWay(a, b);
    this.blockOneWay(b, a);
  }

  isolate(node: NodeId, all: readonly NodeId[]): void {
    for (const other of all) if (other !== node) this.block(node, other);
  }

  /** Cuts every link between the two sides. */
  split(side: readonly NodeId[], all: readonly NodeId[]): void {
    for (const a of side) for (const b of all) if (!side.includes(b)) this.block(a, b);
  }

  healAll(): void {
    this.#blocked.clear();
  }

  get partitioned(): boolean {
    return this.#blocked.size > 0;
  }
}
