/**
 * The vocabulary of the Raft core: log entries, the messages voters and observers exchange
 * (KIP-595 pull-based Raft with KIP-996 pre-vote), and the Ready record the core hands to its
 * driver. Everything here is plain data so that it can be copied, encoded and compared.
 *
 * Raft's "term" is called epoch and its "index" offset, as in KRaft. Offsets start at 0; an
 * "end offset" is one past the last entry.
 */

export type NodeId = number;
export type Epoch = number;
export type Offset = number;

export const EntryKind = {
  /** Opaque bytes for the user's state machine. */
  data: 0,
  /** A new leader's first entry of its epoch (Raft's no-op; KRaft's LeaderChangeMessage). */
  leaderChange: 1,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export interface LogEntry {
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly kind: EntryKind;
  readonly data: Uint8Array;
}

/** Identifies a snapshot: it holds the state after applying every entry below endOffset. */
export interface SnapshotId {
  readonly endOffset: Offset;
  /** Epoch of the entry at endOffset - 1 (0 for an empty prefix). */
  readonly epoch: Epoch;
}

/** What must survive a crash besides the log (KRaft's quorum-state file). */
export interface QuorumState {
  readonly epoch: Epoch;
  /** The candidate this node voted for in `epoch`, or -1. */
  readonly votedId: NodeId;
  /** The leader this node knows for `epoch`, or -1. */
  readonly leaderId: NodeId;
}

export const RaftError = {
  none: 'NONE',
  /** The request carried an epoch older than the receiver's. */
  fencedLeaderEpoch: 'FENCED_LEADER_EPOCH',
  /** The request carried an epoch newer than the receiver's (it will catch up). */
  unknownLeaderEpoch: 'UNKNOWN_LEADER_EPOCH',
  /** The receiver is not the leader; the response carries its best leader hint. */
  notLeader: 'NOT_LEADER_OR_FOLLOWER',
  /** A vote or fetch from a node that is not a voter where a voter is required. */
  notVoter: 'INVALID_REQUEST',
  /** The requested snapshot is not (or no longer) the leader's latest. */
  snapshotNotFound: 'SNAPSHOT_NOT_FOUND',
} as const;
export type RaftError = (typeof RaftError)[keyof typeof RaftError];

/** Candidate asks for a vote (or a pre-vote: same epoch, nothing changes on the receiver). */
export interface VoteRequest {
  readonly type: 'VoteRequest';
  readonly epoch: Epoch;
  readonly candidateId: NodeId;
  readonly lastOffsetEpoch: Epoch;
  /** The candidate's log end offset. */
  readonly lastOffset: Offset;
  readonly preVote: boolean;
}
export interface VoteResponse {
  readonly type: 'VoteResponse';
  readonly epoch: Epoch;
  readonly granted: boolean;
  readonly preVote: boolean;
  readonly leaderId: NodeId;
  readonly error: RaftError;
}
/** A new leader announces itself to the voters: they pull, so they must learn whom to pull from. */
export interface BeginQuorumEpochRequest {
  readonly type: 'BeginQuorumEpochRequest';
  readonly epoch: Epoch;
  readonly leaderId: NodeId;
}
export interface BeginQuorumEpochResponse {
  readonly type: 'BeginQuorumEpochResponse';
  readonly epoch: Epoch;
  readonly error: RaftError;
}
/** A leader resigning gracefully; successors ranked by log end offset, best first. */
export interface EndQuorumEpochRequest {
  readonly type: 'EndQuorumEpochRequest';
  readonly epoch: Epoch;
  readonly leaderId: NodeId;
  readonly preferredSuccessors: readonly NodeId[];
}
export interface EndQuorumEpochResponse {
  readonly type: 'EndQuorumEpochResponse';
  readonly epoch: Epoch;
  readonly error: RaftError;
}
/**
 * Followers and observers pull. fetchOffset is the fetcher's durable log end offset, so it
 * doubles as the acknowledgement the leader counts toward the high watermark.
 */
export interface FetchRequest {
  readonly type: 'FetchRequest';
  readonly epoch: Epoch;
  readonly replicaId: NodeId;
  readonly fetchOffset: Offset;
  readonly lastFetchedEpoch: Epoch;
  readonly maxBytes: number;
}
export interface FetchResponse {
  readonly type: 'FetchResponse';
  readonly epoch: Epoch;
  readonly leaderId: NodeId;
  readonly error: RaftError;
  readonly highWatermark: Offset;
  readonly logStartOffset: Offset;
  /** Entries starting at the request's fetchOffset (empty on divergence or snapshot). */
  readonly entries: readonly LogEntry[];
  /** Set when the fetcher's log diverges: truncate to min(endOffset, own end) and refetch. */
  readonly divergingEpoch?: { readonly epoch: Epoch; readonly endOffset: Offset };
  /** Set when the fetch offset is below the log start: fetch this snapshot first. */
  readonly snapshotId?: SnapshotId;
}
export interface FetchSnapshotRequest {
  readonly type: 'FetchSnapshotRequest';
  readonly epoch: Epoch;
  readonly replicaId: NodeId;
  readonly snapshotId: SnapshotId;
  readonly position: number;
  readonly maxBytes: number;
}
export interface FetchSnapshotResponse {
  readonly type: 'FetchSnapshotResponse';
  readonly epoch: Epoch;
  readonly leaderId: NodeId;
  readonly error: RaftError;
  readonly snapshotId: SnapshotId;
  readonly size: number;
  readonly position: number;
  readonly bytes: Uint8Array;
}

export type RaftMessageBody =
  | VoteRequest
  | VoteResponse
  | BeginQuorumEpochRequest
  | BeginQuorumEpochResponse
  | EndQuorumEpochRequest
  | EndQuorumEpochResponse
  | FetchRequest
  | FetchResponse
  | FetchSnapshotRequest
  | FetchSnapshotResponse;

export type RaftMessageType = RaftMessageBody['type'];

export interface RaftMessage {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly body: RaftMessageBody;
}

/**
 * What the core asks its driver to do, in this order (Raft thesis §3.8, etcd's Ready contract):
 *  1. persist `quorumState` if set (atomically, fsynced);
 *  2. send `messages` (they may go out while step 3 runs: a leader may replicate entries before
 *     its own fsync, thesis §10.2.1, because it counts itself toward commit only once flushed);
 *  3. store `installSnapshot` durably, then reset the log to its end, apply `truncateFrom` and
 *     `append`, fsync, and let entries below `logStartOffset` go (raft/driver's order);
 *  4. send `messagesAfterPersist` (acknowledgements that claim the appended entries are durable);
 *  5. call `persisted(readyId)` on the core;
 *  6. hand `committed` entries to the state machine, in order.
 * Readies are processed strictly one after another.
 */
export interface Ready {
  readonly readyId: number;
  readonly quorumState?: QuorumState;
  readonly messages: readonly RaftMessage[];
  /** Drop every entry at an offset >= this (divergence). Never at or below the high watermark. */
  readonly truncateFrom?: Offset;
  /** A snapshot from the leader: store it, load it into the state machine, drop the log. */
  readonly installSnapshot?: { readonly id: SnapshotId; readonly bytes: Uint8Array };
  /** Entries below this offset may be deleted (they are covered by a snapshot). */
  readonly logStartOffset?: Offset;
  readonly append: readonly LogEntry[];
  readonly messagesAfterPersist: readonly RaftMessage[];
  readonly highWatermark: Offset;
  /** Newly committed entries in offset order, data and control alike. */
  readonly committed: readonly LogEntry[];
}

export const Role = {
  unattached: 'Unattached',
  prospective: 'Prospective',
  candidate: 'Candidate',
  leader: 'Leader',
  follower: 'Follower',
  resigned: 'Resigned',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export interface ReplicaStatus {
  readonly nodeId: NodeId;
  /** The replica's durable log end offset as last reported to the leader (-1 if unknown). */
  readonly logEndOffset: Offset;
  /** Tick of the last fetch the leader received from it (-1 if never). */
  readonly lastFetchTick: number;
  /** Tick when it last had fetched up to the leader's end offset (-1 if never). */
  readonly lastCaughtUpTick: number;
}

/** The quorum status: what `kafka-metadata-quorum describe --status/--replication` prints. */
export interface QuorumStatus {
  readonly nodeId: NodeId;
  readonly role: Role;
  readonly epoch: Epoch;
  readonly leaderId: NodeId;
  readonly votedId: NodeId;
  readonly highWatermark: Offset;
  readonly logStartOffset: Offset;
  readonly logEndOffset: Offset;
  readonly flushedEndOffset: Offset;
  /** Only a leader knows these; empty elsewhere. */
  readonly voters: readonly ReplicaStatus[];
  readonly observers: readonly ReplicaStatus[];
}

export type ProposeResult =
  | { readonly ok: true; readonly epoch: Epoch; readonly firstOffset: Offset }
  | {
      readonly ok: false;
      readonly error: 'NOT_LEADER_OR_FOLLOWER';
      readonly leaderId: NodeId;
      readonly epoch: Epoch;
    }
  /** An empty proposal (POLICY_VIOLATION), or backpressure (THROTTLING_QUOTA_EXCEEDED). */
  | {
      readonly ok: false;
      readonly error: 'POLICY_VIOLATION' | 'THROTTLING_QUOTA_EXCEEDED';
      readonly message: string;
    };
