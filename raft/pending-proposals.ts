/**
 * Proposals waiting for their commit. A proposal is identified by the (offset, epoch) its leader
 * appended it at: when the entry at that offset commits with the same epoch it succeeded; when a
 * different epoch commits there, a new leader overwrote it and it failed (Raft §5.4.2, §8).
 */
import type { Epoch, LogEntry, NodeId, Offset } from './core/types.js';

export interface Committed {
  readonly offset: Offset;
  readonly epoch: Epoch;
}

export class ProposalError extends Error {
  constructor(
    readonly code: 'NOT_LEADER_OR_FOLLOWER' | 'REQUEST_TIMED_OUT' | 'POLICY_VIOLATION' | 'SHUTTING_DOWN',
    message: string,
    readonly leaderId: NodeId = -1,
  ) {
    super(message);
  }
  override name = 'ProposalError';
  get retriable(): boolean {
    return this.code !== 'POLICY_VIOLATION';
  }
}

interface Waiter {
  readonly epoch: Epoch;
  readonly deadlineMs: number;
  readonly resolve: (result: Committed) => void;
  readonly reject: (error: ProposalError) => void;
}

export class PendingProposals {
  // Keyed by offset; offsets of one leader are strictly increasing, so a Map keeps them in order.
  readonly #waiters = new Map<Offset, Waiter>();

  get size(): number {
    return this.#waiters.size;
  }

  add(offset: Offset, epoch: Epoch, deadlineMs: number): Promise<Committed> {
    return new Promise<Committed>((resolve, reject) => {
      this.#waiters.get(offset)?.reject(new ProposalError('NOT_LEADER_OR_FOLLOWER', 'overwritten'));
      this.#waiters.set(offset, { epoch, deadlineMs, resolve, reject });
    });
  }

  /** Settles every waiter whose offset is among the newly committed entries. */
  committed(entries: readonly LogEntry[]): void {
    if (this.#waiters.size === 0) return;
    for (const entry of entries) {
      const waiter = this.#waiters.get(entry.offset);
      if (waiter === undefined) continue;
      this.#waiters.delete(entry.offset);
      if (waiter.epoch === entry.epoch) waiter.resolve({ offset: entry.offset, epoch: entry.epoch });
      else waiter.reject(new ProposalError('NOT_LEADER_OR_FOLLOWER', 'a new leader overwrote it'));
    }
  }

  /** Fails waiters past their deadline: their entry may still commit later (ambiguous outcome). */
  expire(nowMs: number): void {
    for (const [offset, waiter] of this.#waiters) {
      if (waiter.deadlineMs > nowMs) continue;
      this.#waiters.delete(offset);
      waiter.reject(new ProposalError('REQUEST_TIMED_OUT', 'not committed before the deadline'));
    }
  }

  /** Fails waiters at or after `offset` (the log was reset past them by a snapshot install). */
  failAll(error: ProposalError): void {
    for (const waiter of this.#waiters.values()) waiter.reject(error);
    this.#waiters.clear();
  }
}
