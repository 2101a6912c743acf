/**
 * The state every role shares, the per-role state (a tagged union: role behaviour lives in
 * functions, not in a class hierarchy), and the transitions that any role may take: adopting a
 * newer epoch, following a leader, becoming unattached.
 *
 * Every change of (epoch, votedId, leaderId) goes through setQuorum so that the next Ready carries
 * it; the driver persists it before it sends any message of that Ready (types.ts, step 1).
 */
import { assert } from '../../lib/assert.js';
import type { RaftCoreConfig } from './config.js';
import type { RaftLog } from './log.js';
import type { PendingWrites } from './pending-writes.js';
import { RaftError, Role } from './types.js';
import type {
  Epoch,
  FetchRequest,
  LogEntry,
  NodeId,
  Offset,
  QuorumState,
  RaftMessage,
  RaftMessageBody,
  SnapshotId,
} from './types.js';

export const NO_NODE: NodeId = -1;

/** A snapshot being pulled from the leader chunk by chunk (KIP-630 FetchSnapshot). */
export interface SnapshotTransfer {
  readonly id: SnapshotId;
  readonly chunks: Uint8Array[];
  position: number;
}

/** The request a fetcher has in flight, as it was built from the log when it was sent. */
export interface OutstandingFetch {
  readonly kind: 'fetch' | 'snapshot';
  readonly target: NodeId;
  readonly sentTick: number;
  readonly fetchOffset: Offset;
  readonly lastFetchedEpoch: Epoch;
}

/** The KIP-595 fetch loop of a follower or observer: exactly one request in flight. */
export interface FetchLoop {
  outstanding: OutstandingFetch | undefined;
  /** A request should go out with the next Ready (built then, from the log as it is then). */
  due: boolean;
  /** No request before this tick (backoff after an error response). */
  retryAtTick: number;
  snapshot: SnapshotTransfer | undefined;
}

export interface UnattachedRole {
  readonly role: typeof Role.unattached;
  electionDeadlineTick: number;
  /** Observers look for the leader by fetching from the voters in turn. */
  readonly fetch: FetchLoop;
  discoveryIndex: number;
}

export interface FollowerRole {
  readonly role: typeof Role.follower;
  readonly leaderId: NodeId;
  readonly fetch: FetchLoop;
  /** A voter starts an election (an observer looks for a new leader) at this tick. */
  fetchDeadlineTick: number;
}

export interface ElectionRole {
  readonly role: typeof Role.prospective | typeof Role.candidate;
  readonly grants: Set<NodeId>;
  readonly rejects: Set<NodeId>;
  readonly electionDeadlineTick: number;
  lastRequestTick: number;
  /** Set once the election is lost: the next attempt starts at this tick. */
  backoffUntilTick: number | undefined;
}

export interface ReplicaProgress {
  readonly nodeId: NodeId;
  readonly isVoter: boolean;
  /** The durable end offset the replica reported in its last valid fetch of this epoch. */
  endOffset: Offset;
  lastFetchTick: number;
  lastCaughtUpTick: number;
  /** The high watermark in the last response sent to it (long-poll decision). */
  lastSentHighWatermark: Offset;
}

export interface ParkedFetch {
  readonly request: FetchRequest;
  readonly deadlineTick: number;
}

export interface LeaderRole {
  readonly role: typeof Role.leader;
  /** Offset of the leaderChange entry: the first offset of this epoch. */
  readonly epochStartOffset: Offset;
  readonly replicas: Map<NodeId, ReplicaProgress>;
  readonly parked: Map<NodeId, ParkedFetch>;
  /** Voters that have not acknowledged BeginQuorumEpoch yet, with the tick it was last sent. */
  readonly beginEpochUnacked: Map<NodeId, number>;
  // Invariant: uncommittedBytes = data bytes of the entries in [highWatermark, logEndOffset).
  uncommittedBytes: number;
}

export interface ResignedRole {
  readonly role: typeof Role.resigned;
  readonly electionDeadlineTick: number;
  readonly endEpochUnacked: Map<NodeId, number>;
  readonly preferredSuccessors: readonly NodeId[];
}

export type RoleState = UnattachedRole | FollowerRole | ElectionRole | LeaderRole | ResignedRole;

export interface HeldSnapshot {
  readonly id: SnapshotId;
  readonly bytes: Uint8Array;
  /** Tick a chunk of it was last served (-1: never). */
  lastServedTick: number;
}

/**
 * Bound on older snapshots kept in memory for transfers under way. Without them a transfer
 * slower than the snapshot interval would restart forever (SNAPSHOT_NOT_FOUND at each new one).
 */
export const SNAPSHOTS_HELD_MAX = 2;

export interface CoreState {
  readonly config: RaftCoreConfig;
  readonly nodeId: NodeId;
  readonly voters: readonly NodeId[];
  readonly isVoter: boolean;
  readonly majority: number;
  now: number;
  quorum: QuorumState;
  quorumDirty: boolean;
  roleState: RoleState;
  readonly log: RaftLog;
  readonly writes: PendingWrites;
  // Invariant: logStartOffset <= appliedOffset <= highWatermark <= logEndOffset; never decreases.
  highWatermark: Offset;
  /** Everything below this was handed out in Ready.committed (or loaded from a snapshot). */
  appliedOffset: Offset;
  /** The latest snapshot: the one fetches point to (KIP-630). */
  snapshot: HeldSnapshot | undefined;
  /** Older snapshots kept while a follower is still pulling them (at most SNAPSHOTS_HELD_MAX). */
  readonly olderSnapshots: HeldSnapshot[];
  electionRetries: number;
  /** Tick of the last successful fetch from the leader of this epoch (pre-vote refusals). */
  lastLeaderFetchTick: number | undefined;
  /** The leader of this epoch is known to be gone (its connection closed, or it resigned). */
  leaderLost: boolean;
  /**
   * The log below `endOffset` is known to match the log of `leaderId` in `epoch`. A leader's log
   * only grows within its epoch, so a divergence below this is a stale, duplicated response.
   */
  match: { epoch: Epoch; leaderId: NodeId; endOffset: Offset };
  /** Voters whose connection closed and that sent nothing since (they count as lost votes). */
  readonly disconnected: Set<NodeId>;
  messages: RaftMessage[];
  messagesAfterPersist: RaftMessage[];
}

export function send(state: CoreState, to: NodeId, body: RaftMessageBody): void {
  state.messages.push({ from: state.nodeId, to, body });
}

export function sendAfterPersist(state: CoreState, to: NodeId, body: RaftMessageBody): void {
  state.messagesAfterPersist.push({ from: state.nodeId, to, body });
}

export function setQuorum(state: CoreState, next: QuorumState): void {
  const current = state.quorum;
  assert(next.epoch >= current.epoch, `epoch ${next.epoch} after ${current.epoch} (Raft §5.1)`);
  if (next.epoch === current.epoch) {
    assert(
      current.votedId === NO_NODE || next.votedId === current.votedId,
      `second vote in epoch ${next.epoch}: ${current.votedId} then ${next.votedId} (Raft §5.2)`,
    );
    assert(
      current.leaderId === NO_NODE || next.leaderId === current.leaderId,
      `second leader in epoch ${next.epoch}: ${current.leaderId} then ${next.leaderId}`,
    );
  }
  if (
    next.epoch === current.epoch &&
    next.votedId === current.votedId &&
    next.leaderId === current.leaderId
  ) {
    return;
  }
  state.quorum = { epoch: next.epoch, votedId: next.votedId, leaderId: next.leaderId };
  state.quorumDirty = true;
}

/** The best guess of the current leader for responses and propose() hints. */
export function leaderHint(state: CoreState): NodeId {
  if (state.roleState.role === Role.leader) return state.nodeId;
  return state.quorum.leaderId === state.nodeId ? NO_NODE : state.quorum.leaderId;
}

export function appendEntry(state: CoreState, entry: LogEntry): void {
  state.log.append(entry);
  state.writes.appended(entry);
}

export function truncateLog(state: CoreState, offset: Offset): void {
  // Raft §5.3 / KIP-595: only uncommitted entries can diverge, never those below the HW.
  assert(offset >= state.highWatermark, `truncation at ${offset} below HW ${state.highWatermark}`);
  if (offset >= state.log.endOffset) return;
  state.log.truncateFrom(offset);
  state.writes.truncated(offset);
}

export function randomElectionTimeout(state: CoreState): number {
  const timeout = state.config.electionTimeoutTicks;
  return state.config.prng.nextInt(timeout, 2 * timeout);
}

function backoffBaseTicks(state: CoreState): number {
  return Math.max(1, Math.floor(state.config.electionBackoffMaxTicks / 10));
}

/** Binary exponential backoff after a lost election, capped (KRaft election.backoff.max.ms). */
export function electionBackoff(state: CoreState): number {
  const retries = Math.min(state.electionRetries, 20);
  state.electionRetries += 1;
  const cap = Math.min(
    state.config.electionBackoffMaxTicks,
    backoffBaseTicks(state) * 2 ** retries,
  );
  return state.config.prng.nextInt(1, cap + 1);
}

/** The wait of the rank-th preferred successor after EndQuorumEpoch (KIP-595: first at once). */
export function successorBackoff(state: CoreState, rank: number): number {
  if (rank <= 0) return 0;
  return Math.min(state.config.electionBackoffMaxTicks, backoffBaseTicks(state) * 2 ** (rank - 1));
}

/** Raft §5.4.1: the candidate's log is at least as up to date as ours. */
export function isLogUpToDate(state: CoreState, lastEpoch: Epoch, endOffset: Offset): boolean {
  const ownEpoch = state.log.lastEpoch();
  return lastEpoch > ownEpoch || (lastEpoch === ownEpoch && endOffset >= state.log.endOffset);
}

export function newFetchLoop(due: boolean): FetchLoop {
  return { outstanding: undefined, due, retryAtTick: 0, snapshot: undefined };
}

/** Work a role leaves behind: a leader answers its parked fetches so followers move on at once. */
function leaveRole(state: CoreState): void {
  const role = state.roleState;
  if (role.role !== Role.leader) return;
  for (const replicaId of role.parked.keys()) {
    send(state, replicaId, {
      type: 'FetchResponse',
      epoch: state.quorum.epoch,
      leaderId: NO_NODE,
      error: RaftError.notLeader,
      highWatermark: state.highWatermark,
      logStartOffset: state.log.startOffset,
      entries: [],
    });
  }
  role.parked.clear();
}

function resetLeaderContact(state: CoreState, epoch: Epoch, leaderId: NodeId): void {
  if (state.match.epoch === epoch && state.match.leaderId === leaderId) return;
  state.lastLeaderFetchTick = undefined;
  state.leaderLost = false;
  state.match = { epoch, leaderId, endOffset: 0 };
}

export function becomeFollower(state: CoreState, epoch: Epoch, leaderId: NodeId): void {
  assert(leaderId !== state.nodeId && leaderId !== NO_NODE, `cannot follow ${leaderId}`);
  leaveRole(state);
  const votedId = epoch === state.quorum.epoch ? state.quorum.votedId : NO_NODE;
  setQuorum(state, { epoch, votedId, leaderId });
  resetLeaderContact(state, epoch, leaderId);
  state.roleState = {
    role: Role.follower,
    leaderId,
    fetch: newFetchLoop(true),
    fetchDeadlineTick: state.now + state.config.fetchTimeoutTicks,
  };
}

/** No leader known in `epoch` (a newer epoch, or an observer looking for the leader). */
export function becomeUnattached(state: CoreState, epoch: Epoch): void {
  leaveRole(state);
  if (epoch > state.quorum.epoch) setQuorum(state, { epoch, votedId: NO_NODE, leaderId: NO_NODE });
  resetLeaderContact(state, epoch, state.quorum.leaderId);
  state.roleState = {
    role: Role.unattached,
    electionDeadlineTick: state.now + randomElectionTimeout(state),
    fetch: newFetchLoop(!state.isVoter),
    discoveryIndex: state.config.prng.nextInt(0, state.voters.length),
  };
}

/**
 * Raft §5.1: a message from a newer epoch makes us adopt it, following the leader it names if it
 * names one. A pre-vote request is the exception (KIP-996): it must not disturb anyone.
 */
export function observeEpoch(state: CoreState, epoch: Epoch, leaderId: NodeId): void {
  const named = leaderId !== state.nodeId ? leaderId : NO_NODE;
  if (epoch > state.quorum.epoch) {
    if (named !== NO_NODE) becomeFollower(state, epoch, named);
    else becomeUnattached(state, epoch);
    return;
  }
  const unknownLeader = state.quorum.leaderId === NO_NODE && state.roleState.role !== Role.leader;
  if (epoch === state.quorum.epoch && named !== NO_NODE && unknownLeader) {
    becomeFollower(state, epoch, named);
  }
}

/** The fetch loop of the current role: followers, and observers looking for a leader. */
export function currentFetchLoop(state: CoreState): FetchLoop | undefined {
  const role = state.roleState;
  if (role.role === Role.follower) return role.fetch;
  if (role.role === Role.unattached && !state.isVoter) return role.fetch;
  return undefined;
}

/** Makes `next` the latest snapshot, keeping the previous one if a transfer of it is under way. */
export function replaceSnapshot(state: CoreState, id: SnapshotId, bytes: Uint8Array): void {
  const previous = state.snapshot;
  const recent = (held: HeldSnapshot): boolean =>
    held.lastServedTick >= 0 && state.now - held.lastServedTick < state.config.fetchTimeoutTicks;
  const kept = state.olderSnapshots.filter(recent);
  if (previous !== undefined && recent(previous)) kept.push(previous);
  state.olderSnapshots.length = 0;
  state.olderSnapshots.push(...kept.slice(-SNAPSHOTS_HELD_MAX));
  state.snapshot = { id, bytes, lastServedTick: -1 };
}

export function sameSnapshotId(a: SnapshotId, b: SnapshotId): boolean {
  return a.endOffset === b.endOffset && a.epoch === b.epoch;
}
