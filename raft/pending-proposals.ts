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

/**
 * Why a proposal failed, with whether proposing again may succeed and the code of Kafka's
 * table (protocol/error-codes.ts) it stands for. raft/ may not import protocol/, so the names
 * are spelled here; tests/unit/protocol/error-vocabulary.test.ts proves each exists there with
 * the same retriable flag.
 */
export const ProposalErrorCode = {
  /** Not (or no longer) the leader; `leaderId` hints where to propose instead. */
  NOT_LEADER_OR_FOLLOWER: { retriable: true, kafkaError: 'NOT_LEADER_OR_FOLLOWER' },
  /** Not committed before the deadline; it may still commit (an ambiguous outcome). */
  REQUEST_TIMED_OUT: { retriable: true, kafkaError: 'REQUEST_TIMED_OUT' },
  /** The proposal itself is refused (empty): proposing it again cannot help. */
  POLICY_VIOLATION: { retriable: false, kafkaError: 'POLICY_VIOLATION' },
  /** Backpressure: too much waits for commit or in the buffer; retry once the quorum catches up. */
  THROTTLING_QUOTA_EXCEEDED: { retriable: true, kafkaError: 'THROTTLING_QUOTA_EXCEEDED' },
  /** This node is closing; another node (a new leader) may take the proposal. */
  SHUTTING_DOWN: { retriable: true, kafkaError: 'NOT_LEADER_OR_FOLLOWER' },
} as const;
export type ProposalErrorCode = keyof typeof ProposalErrorCode;

export class ProposalError extends Error {
  constructor(
    readonly code: ProposalErrorCode,
    message: string,
    readonly leaderId: NodeId = -1,
  ) {
    super(message);
  }
  override name = 'ProposalError';
  get retriable(): boolean {
    return ProposalErrorCode[this.code].retriable;
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
