/**
 * The driver's two queues of proposals.
 *
 * ProposalBuffer: proposals accepted but not yet handed to the core. The driver empties it
 * right before it takes the next Ready, in batches of at most maxBatchBytes, so everything
 * proposed while the previous Ready's fsync ran becomes one append and one fsync (group
 * commit; KRaft's BatchAccumulator).
 *
 * PendingProposals: proposals the core appended, waiting for their commit. A proposal is
 * identified by the (offset, epoch) its leader appended it at: when the entry at that offset
 * commits with the same epoch it succeeded; when a different epoch commits there, a new leader
 * overwrote it and it failed (Raft §5.4.2, §8). Deadlines are in ticks of the core's clock.
 *
 * Both settle through a callback, called exactly once, never through a promise: the driver is
 * synchronous, and the simulator's event queue would not interleave microtasks.
 */
import { assert } from '../../lib/assert.js';
import type { Epoch, LogEntry, Offset } from '../core/types.js';
import { ProposalError, type Committed } from '../pending-proposals.js';

export type ProposalResult = Committed | ProposalError;

/**
 * A ProposalError without a stack trace: it is an expected outcome handed to a callback, not a
 * bug being thrown, and capturing a stack for every refused or timed-out proposal costs more
 * than the proposal itself.
 */
export function proposalError(
  code: ProposalError['code'], message: string, leaderId?: number,
): ProposalError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ProposalError(code, message, leaderId);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
/** Called once with where the proposal committed, or why it failed. */
export type ProposalCallback = (result: ProposalResult) => void;

interface Buffered {
  readonly data: Uint8Array;
  readonly settle: ProposalCallback;
}

export interface ProposalBatch {
  readonly data: Uint8Array[];
  readonly settles: ProposalCallback[];
}

export class ProposalBuffer {
  #items: Buffered[] = [];
  #head = 0;
  #bytes = 0;

  /** Data bytes buffered (the backpressure measure). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(data: Uint8Array, settle: ProposalCallback): void {
    this.#items.push({ data, settle });
    this.#bytes += data.byteLength;
  }

  /** Removes and returns the oldest proposals up to maxBatchBytes (always at least one). */
  takeBatch(maxBatchBytes: number): ProposalBatch | undefined {
    if (this.size === 0) return undefined;
    const data: Uint8Array[] = [];
    const settles: ProposalCallback[] = [];
    let bytes = 0;
    while (this.#head < this.#items.length) {
      const next = this.#items[this.#head]!;
      if (data.length > 0 && bytes + next.data.byteLength > maxBatchBytes) break;
      bytes += next.data.byteLength;
      data.push(next.data);
      settles.push(next.settle);
      this.#head++;
    }
    this.#bytes -= bytes;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    return { data, settles };
  }

  failAll(error: ProposalError): void {
    const items = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
    for (const item of items) item.settle(error);
  }
}

interface Waiter {
  readonly epoch: Epoch;
  readonly deadlineTick: number;
  readonly settle: ProposalCallback;
}

export class PendingProposals {
  // Keyed by offset, in insertion order. Every waiter gets the same timeout when added, so
  // deadlines never decrease along the map: expiry stops at the first one still running.
  readonly #waiters = new Map<Offset, Waiter>();
  // Invariant: deadlines never decrease in insertion order (what expire() relies on).
  #lastDeadlineTick = -Infinity;

  get size(): number {
    return this.#waiters.size;
  }

  add(offset: Offset, epoch: Epoch, deadlineTick: number, settle: ProposalCallback): void {
    assert(deadlineTick >= this.#lastDeadlineTick, 'proposal deadlines went backwards');
    this.#lastDeadlineTick = deadlineTick;
    const previous = this.#waiters.get(offset);
    if (previous !== undefined) {
      // Deleted first so that the new waiter goes to the end (keeps deadlines in order).
      this.#waiters.delete(offset);
      previous.settle(proposalError('NOT_LEADER_OR_FOLLOWER', 'overwritten'));
    }
    this.#waiters.set(offset, { epoch, deadlineTick, settle });
  }

  /** Settles every waiter whose offset is among the newly committed entries. */
  committed(entries: readonly LogEntry[]): void {
    if (this.#waiters.size === 0) return;
    // One error for all the proposals a call fails: an Error's stack trace is not cheap.
    let overwritten: ProposalError | undefined;
    for (const entry of entries) {
      const waiter = this.#waiters.get(entry.offset);
      if (waiter === undefined) continue;
      this.#waiters.delete(entry.offset);
      if (waiter.epoch === entry.epoch) {
        waiter.settle({ offset: entry.offset, epoch: entry.epoch });
        continue;
      }
      overwritten ??= proposalError('NOT_LEADER_OR_FOLLOWER', 'a new leader overwrote it');
      waiter.settle(overwritten);
    }
  }

  /** Fails waiters past their deadline: their entry may still commit later (ambiguous outcome). */
  expire(nowTick: number): void {
    let timedOut: ProposalError | undefined;
    for (const [offset, waiter] of this.#waiters) {
      if (waiter.deadlineTick > nowTick) return;
      this.#waiters.delete(offset);
      timedOut ??= proposalError('REQUEST_TIMED_OUT', 'not committed before the deadline');
      waiter.settle(timedOut);
    }
  }

  /** Fails every waiter (the log was replaced by a snapshot, or the node is closing). */
  failAll(error: ProposalError): void {
    const waiters = [...this.#waiters.values()];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.settle(error);
  }
}
