/**
 * What a user of the Raft module drives it through (Kafka's RaftClient with its Listener):
 * proposals settled through a callback, and listeners for commits and for leader changes
 * (handleCommit, handleLeaderChange). RaftNode implements it over real I/O; the simulator's
 * node implements it over the same driver on virtual time, so that a user such as the
 * metadata controller's driver (server/controller) runs unchanged in both.
 */
import type { Offset } from './core/types.js';
import type {
  CommittedListener, LeaderAndEpoch, LeaderChangeListener, ProposalCallback,
} from './driver/index.js';

export interface RaftClient {
  /**
   * Appends `data` to the replicated log. `settle` runs once: with the offset and epoch once
   * the entry committed there, or with a ProposalError (at once when this node cannot take
   * it). Proposals of one synchronous turn keep their order in the log.
   */
  submit(data: Uint8Array, settle: ProposalCallback): void;
  /** Every batch of newly committed entries, after the state machine applied them. */
  onCommitted(listener: CommittedListener): () => void;
  /** This node's role, the epoch or the known leader changed. */
  onLeaderChange(listener: LeaderChangeListener): () => void;
  readonly leaderAndEpoch: LeaderAndEpoch;
  /** One past the last committed entry the state machine has applied (a snapshot counts). */
  readonly appliedEndOffset: Offset;
  /** One past the last entry of the log in memory: a leader is caught up when applied is. */
  readonly logEndOffset: Offset;
}
