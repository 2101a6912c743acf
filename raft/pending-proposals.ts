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
