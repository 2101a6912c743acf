/**
 * Proposals waiting for their commit. A proposal is identified by the (offset, epoch) its leader
 * appended it at: when the entry at that offset commits with the same epoch it succeeded; when a
 * different epoch commits there, a new leader overwrote it and it failed (Raft §5.4.2, §8).
 * The driver keeps them (driver/proposals.ts); this file names the outcome of one.
 */
import type { Epoch, NodeId, Offset } from './core/types.js';

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
