/**
 * Configuration and start-up state of the Raft core. Time is counted in ticks: the driver calls
 * tick() at a fixed interval (the runtime uses 10 ms) and the simulator advances a virtual clock.
 */
import type { Prng } from '../../lib/prng.js';
import type { LogEntry, NodeId, QuorumState, SnapshotId } from './types.js';

export interface RaftCoreConfig {
  readonly nodeId: NodeId;
  /** The static voter set (KRaft's controller.quorum.voters). A node not in it is an observer. */
  readonly voters: readonly NodeId[];
  /** controller.quorum.election.timeout.ms in ticks; each timeout is drawn from [T, 2T). */
  readonly electionTimeoutTicks: number;
  /** controller.quorum.fetch.timeout.ms in ticks; a leader resigns after 1.5x without a majority. */
  readonly fetchTimeoutTicks: number;
  /** controller.quorum.election.backoff.max.ms in ticks (exponential backoff after a lost election). */
  readonly electionBackoffMaxTicks: number;
  /** controller.quorum.request.timeout.ms in ticks: when an unanswered request is resent. */
  readonly requestTimeoutTicks: number;
  /** How long a leader holds a fetch that has nothing new (KRaft: 500 ms); at least 1. */
  readonly fetchMaxWaitTicks: number;
  /** Upper bound of entry bytes in one fetch response. */
  readonly fetchMaxBytes: number;
  /** Upper bound of bytes in one snapshot chunk. */
  readonly snapshotChunkBytes: number;
  /** Upper bound of proposed-but-uncommitted entry bytes on a leader (backpressure). */
  readonly maxUncommittedBytes: number;
  /** Seeded randomness for election timeouts: the only source of nondeterminism. */
  readonly prng: Prng;
}

/** Durable state read back at start-up (after the storage layer recovered its files). */
export interface RaftCoreInitialState {
  readonly quorumState: QuorumState;
  /** The latest complete snapshot, if any; the log then starts at its end offset (or later). */
  readonly snapshot?: { readonly id: SnapshotId; readonly bytes: Uint8Array };
  /** The durable log, contiguous, from the log start offset on. */
  readonly entries: readonly LogEntry[];
  /** Offset of entries[0] (the log start offset); equals snapshot.id.endOffset or 0 when empty. */
  readonly logStartOffset: number;
}
