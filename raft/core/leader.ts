/**
 * The leader (KIP-595): it writes a leaderChange entry at the start of its epoch, announces itself
 * with BeginQuorumEpoch, serves Fetch and FetchSnapshot, long-polls fetches that have nothing new,
 * advances the high watermark from the voters' fetch offsets, and resigns when it no longer hears
 * from a majority (check-quorum). Resigning, gracefully or not, goes through the Resigned role.
 */
import { assert } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import {
  appendEntry,
  leaderHint,
  NO_NODE,
  randomElectionTimeout,
  sameSnapshotId,
  send,
  setQuorum,
} from './state.js';
import type { CoreState, LeaderRole, ReplicaProgress } from './state.js';
import { EntryKind, RaftError, Role } from './types.js';
import type { EpochEndOffset } from './log.js';
import type {
  FetchRequest,
  FetchResponse,
  FetchSnapshotRequest,
  NodeId,
  ProposeResult,
} from './types.js';

/** Bound on observers a leader tracks; the least recently heard one makes room (status only). */
export const OBSERVERS_TRACKED_MAX = 256;

export function leaderRole(state: CoreState): LeaderRole {
  const role = state.roleState;
  check(role.role === Role.leader, 'expected Leader, is ', role.role);
  return role;
}

function newProgress(nodeId: NodeId, isVoter: boolean, now: number): ReplicaProgress {
  return {
    nodeId,
    isVoter,
    endOffset: -1,
    lastFetchTick: now,
    lastCaughtUpTick: -1,
    lastSentHighWatermark: -1,
  };
}

/** The payload of a leaderChange entry: the leader's id, 4 bytes big-endian. */
export function encodeLeaderChange(leaderId: NodeId): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, leaderId);
  return bytes;
}

export function becomeLeader(state: CoreState): void {
  assert(state.roleState.role === Role.candidate, 'only a candidate becomes leader');
  const epoch = state.quorum.epoch;
  setQuorum(state, { epoch, votedId: state.nodeId, leaderId: state.nodeId });
  const epochStartOffset = state.log.endOffset;
  const replicas = new Map<NodeId, ReplicaProgress>();
  const beginEpochUnacked = new Map<NodeId, number>();
  for (const voter of state.voters) {
    if (voter === state.nodeId) continue;
    // Check-quorum grace: every voter counts as heard from at the start of the epoch.
    replicas.set(voter, newProgress(voter, true, state.now));
    beginEpochUnacked.set(voter, state.now);
    send(state, voter, { type: 'BeginQuorumEpochRequest', epoch, leaderId: state.nodeId });
  }
  state.roleState = {
    role: Role.leader,
    epochStartOffset,
    replicas,
    parked: new Map(),
    beginEpochUnacked,
    uncommittedBytes: 0,
  };
  state.electionRetries = 0;
  state.leaderLost = false;
  // Raft §8 / KRaft LeaderChangeMessage: an entry of the new epoch that, once committed, commits
  // every earlier entry too (Raft §5.4.2 forbids counting replicas for older epochs directly).
  appendEntry(state, {
    offset: epochStartOffset,
    epoch,
    kind: EntryKind.leaderChange,
    data: encodeLeaderChange(state.nodeId),
  });
  state.roleState.uncommittedBytes = state.log.bytesBetween(
    state.highWatermark,
    state.log.endOffset,
  );
}

type FetchValidation =
  | { readonly kind: 'ok' }
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'diverging'; readonly divergingEpoch: EpochEndOffset };

/** KIP-595: check the fetcher's (fetchOffset, lastFetchedEpoch) against our epoch history. */
function validateFetch(state: CoreState, request: FetchRequest): FetchValidation {
  const log = state.log;
  if (request.fetchOffset < log.startOffset) return { kind: 'snapshot' };
  if (request.fetchOffset === 0) return { kind: 'ok' };
  const end = log.endOffsetForEpoch(request.lastFetchedEpoch);
  if (end === undefined) return { kind: 'snapshot' };
  if (end.epoch !== request.lastFetchedEpoch || end.endOffset < request.fetchOffset) {
    return { kind: 'diverging', divergingEpoch: { epoch: end.epoch, endOffset: end.endOffset } };
  }
  return { kind: 'ok' };
}

function fetchResponse(state: CoreState, fields: Partial<FetchResponse>): FetchResponse {
  return {
    type: 'FetchResponse',
    epoch: state.quorum.epoch,
    leaderId: leaderHint(state),
    error: RaftError.none,
    highWatermark: state.highWatermark,
    logStartOffset: state.log.startOffset,
    entries: [],
    ...fields,
  };
}

function answerFetch(state: CoreState, replicaId: NodeId, request: FetchRequest): void {
  const role = leaderRole(state);
  const validation = validateFetch(state, request);
  let response: FetchResponse;
  if (validation.kind === 'snapshot') {
    assert(state.snapshot !== undefined, 'log start above 0 but no snapshot to serve');
    response = fetchResponse(state, { snapshotId: state.snapshot.id });
  } else if (validation.kind === 'diverging') {
    response = fetchResponse(state, { divergingEpoch: validation.divergingEpoch });
  } else {
    const maxBytes = Math.min(request.maxBytes, state.config.fetchMaxBytes);
    response = fetchResponse(state, { entries: state.log.read(request.fetchOffset, maxBytes) });
  }
  const progress = role.replicas.get(replicaId);
  if (progress !== undefined) progress.lastSentHighWatermark = state.highWatermark;
  send(state, replicaId, response);
}

/** Answers every parked fetch: new entries were appended or the high watermark moved. */
function completeParkedFetches(state: CoreState): void {
  const role = leaderRole(state);
  for (const [replicaId, parked] of role.parked) answerFetch(state, replicaId, parked.request);
  role.parked.clear();
}

function progressFor(state: CoreState, role: LeaderRole, replicaId: NodeId): ReplicaProgress {
  let progress = role.replicas.get(replicaId);
  if (progress !== undefined) return progress;
  if (role.replicas.size >= state.voters.length - 1 + OBSERVERS_TRACKED_MAX) {
    let oldest: ReplicaProgress | undefined;
    for (const candidate of role.replicas.values()) {
      if (candidate.isVoter) continue;
      if (oldest === undefined || candidate.lastFetchTick < oldest.lastFetchTick)
        oldest = candidate;
    }
    if (oldest !== undefined) role.replicas.delete(oldest.nodeId);
  }
  progress = newProgress(replicaId, false, state.now);
  role.replicas.set(replicaId, progress);
  return progress;
}

export function handleFetchRequest(state: CoreState, from: NodeId, request: FetchRequest): void {
  if (state.roleState.role !== Role.leader) {
    send(state, from, fetchResponse(state, { error: RaftError.notLeader }));
    return;
  }
  const role = state.roleState;
  if (request.epoch < state.quorum.epoch) {
    send(state, from, fetchResponse(state, { error: RaftError.fencedLeaderEpoch }));
    return;
  }
  assert(request.epoch === state.quorum.epoch, 'a newer epoch was adopted before dispatch');
  const progress = progressFor(state, role, from);
  progress.lastFetchTick = state.now;
  role.beginEpochUnacked.delete(from);
  role.parked.delete(from);
  const validation = validateFetch(state, request);
  if (validation.kind === 'ok') {
    // The fetch offset is the replica's durable end offset: its acknowledgement (KIP-595).
    progress.endOffset = request.fetchOffset;
    if (request.fetchOffset >= state.log.endOffset) progress.lastCaughtUpTick = state.now;
    maybeAdvanceHighWatermark(state);
  }
  const nothingNew = validation.kind === 'ok' && request.fetchOffset >= state.log.endOffset;
  const knowsHighWatermark = progress.lastSentHighWatermark >= state.highWatermark;
  if (nothingNew && knowsHighWatermark) {
    // Long poll: hold the fetch until there is news or fetchMaxWaitTicks pass.
    role.parked.set(from, { request, deadlineTick: state.now + state.config.fetchMaxWaitTicks });
    return;
  }
  answerFetch(state, from, request);
}

/**
 * The high watermark is the largest offset held by a majority of voters (the leader counting
 * only what it flushed), provided it commits an entry of this epoch (Raft §5.4.2). Observers
 * never count. It never decreases.
 */
export function maybeAdvanceHighWatermark(state: CoreState): void {
  const role = leaderRole(state);
  const flushed = state.writes.flushedEndOffset;
  const endOffsets = state.voters.map((voter) =>
    voter === state.nodeId ? flushed : (role.replicas.get(voter)?.endOffset ?? -1),
  );
  endOffsets.sort((a, b) => b - a);
  const majorityEnd = Math.min(endOffsets[state.majority - 1]!, flushed);
  if (majorityEnd <= role.epochStartOffset || majorityEnd <= state.highWatermark) return;
  role.uncommittedBytes -= state.log.bytesBetween(state.highWatermark, majorityEnd);
  assert(role.uncommittedBytes >= 0, 'uncommitted bytes went negative');
  state.highWatermark = majorityEnd;
  // Invariant: on the leader, highWatermark <= flushedEndOffset (CommittedIsDurable).
  assert(state.highWatermark <= flushed, 'HW above the leader flushed end');
  completeParkedFetches(state);
}

export function handleFetchSnapshotRequest(
  state: CoreState,
  from: NodeId,
  request: FetchSnapshotRequest,
): void {
  const reply = (error: RaftError, position: number, bytes: Uint8Array, size: number): void =>
    send(state, from, {
      type: 'FetchSnapshotResponse',
      epoch: state.quorum.epoch,
      leaderId: leaderHint(state),
      error,
      snapshotId: request.snapshotId,
      size,
      position,
      bytes,
    });
  const empty = new Uint8Array(0);
  if (state.roleState.role !== Role.leader)
    return reply(RaftError.notLeader, request.position, empty, 0);
  if (request.epoch < state.quorum.epoch) {
    return reply(RaftError.fencedLeaderEpoch, request.position, empty, 0);
  }
  const role = state.roleState;
  const progress = progressFor(state, role, from);
  progress.lastFetchTick = state.now;
  role.beginEpochUnacked.delete(from);
  const snapshot = [state.snapshot, ...state.olderSnapshots].find(
    (held) => held !== undefined && sameSnapshotId(held.id, request.snapshotId),
  );
  const size = snapshot?.bytes.byteLength ?? 0;
  const position = request.position;
  // Position == size is valid only for an empty snapshot (its one and only, empty, chunk).
  if (
    snapshot === undefined ||
    position < 0 ||
    position > size ||
    (position === size && size > 0)
  ) {
    return reply(RaftError.snapshotNotFound, position, empty, 0);
  }
  snapshot.lastServedTick = state.now;
  const chunkBytes = Math.max(1, Math.min(request.maxBytes, state.config.snapshotChunkBytes));
  const chunk = snapshot.bytes.subarray(request.position, request.position + chunkBytes);
  return reply(RaftError.none, position, chunk, size);
}

export function propose(state: CoreState, data: readonly Uint8Array[]): ProposeResult {
  const role = state.roleState;
  if (role.role !== Role.leader) {
    return {
      ok: false,
      error: 'NOT_LEADER_OR_FOLLOWER',
      leaderId: leaderHint(state),
      epoch: state.quorum.epoch,
    };
  }
  if (data.length === 0) return { ok: false, error: 'POLICY_VIOLATION', message: 'empty proposal' };
  const bytes = data.reduce((sum, item) => sum + item.byteLength, 0);
  const limit = state.config.maxUncommittedBytes;
  if (role.uncommittedBytes + bytes > limit) {
    // Backpressure, an expected condition: retriable, with Kafka's code for a full quota.
    return {
      ok: false,
      error: 'THROTTLING_QUOTA_EXCEEDED',
      message:
        `${role.uncommittedBytes} uncommitted bytes + ${bytes} proposed exceed ` +
        `maxUncommittedBytes ${limit}; retry once the quorum catches up`,
    };
  }
  const epoch = state.quorum.epoch;
  const firstOffset = state.log.endOffset;
  data.forEach((item, index) => {
    appendEntry(state, { offset: firstOffset + index, epoch, kind: EntryKind.data, data: item });
  });
  role.uncommittedBytes += bytes;
  // Thesis §10.2.1: replicate before our own fsync; we count ourselves only once flushed.
  completeParkedFetches(state);
  return { ok: true, epoch, firstOffset };
}

export function tickLeader(state: CoreState): void {
  const role = leaderRole(state);
  for (const [replicaId, parked] of role.parked) {
    if (parked.deadlineTick <= state.now) {
      role.parked.delete(replicaId);
      answerFetch(state, replicaId, parked.request);
    }
  }
  for (const [voter, sentTick] of role.beginEpochUnacked) {
    if (state.now - sentTick >= state.config.requestTimeoutTicks) {
      role.beginEpochUnacked.set(voter, state.now);
      send(state, voter, {
        type: 'BeginQuorumEpochRequest',
        epoch: state.quorum.epoch,
        leaderId: state.nodeId,
      });
    }
  }
  if (!hasCheckQuorum(state, role)) becomeResigned(state);
}

/** Check-quorum (KAFKA-15489): a majority of voters, ourselves included, fetched recently. */
function hasCheckQuorum(state: CoreState, role: LeaderRole): boolean {
  if (state.voters.length === 1) return true;
  const windowTicks = Math.floor(1.5 * state.config.fetchTimeoutTicks);
  let heard = 1;
  for (const progress of role.replicas.values()) {
    if (progress.isVoter && state.now - progress.lastFetchTick < windowTicks) heard += 1;
  }
  return heard >= state.majority;
}

/**
 * A leader steps down in its epoch and tells the voters (KIP-595 EndQuorumEpoch), naming the
 * voters with the longest logs first so that the best successor starts its election at once.
 */
export function becomeResigned(state: CoreState): void {
  const previous = state.roleState;
  let preferredSuccessors: NodeId[] = [];
  if (previous.role === Role.leader) {
    for (const replicaId of previous.parked.keys()) {
      send(
        state,
        replicaId,
        fetchResponse(state, { error: RaftError.notLeader, leaderId: NO_NODE }),
      );
    }
    preferredSuccessors = state.voters
      .filter((voter) => voter !== state.nodeId)
      .sort((a, b) => {
        const endA = previous.replicas.get(a)?.endOffset ?? -1;
        const endB = previous.replicas.get(b)?.endOffset ?? -1;
        return endB - endA || a - b;
      });
  }
  const endEpochUnacked = new Map<NodeId, number>();
  state.roleState = {
    role: Role.resigned,
    electionDeadlineTick: state.now + randomElectionTimeout(state),
    endEpochUnacked,
    preferredSuccessors,
  };
  for (const voter of state.voters) {
    if (voter === state.nodeId) continue;
    endEpochUnacked.set(voter, state.now);
    sendEndQuorumEpoch(state, voter, preferredSuccessors);
  }
}

function sendEndQuorumEpoch(state: CoreState, to: NodeId, preferred: readonly NodeId[]): void {
  send(state, to, {
    type: 'EndQuorumEpochRequest',
    epoch: state.quorum.epoch,
    leaderId: state.nodeId,
    preferredSuccessors: preferred,
  });
}

/** Returns true when the election timeout expired and the node should become prospective. */
export function tickResigned(state: CoreState): boolean {
  const role = state.roleState;
  assert(role.role === Role.resigned, 'expected Resigned');
  for (const [voter, sentTick] of role.endEpochUnacked) {
    if (state.now - sentTick >= state.config.requestTimeoutTicks) {
      role.endEpochUnacked.set(voter, state.now);
      sendEndQuorumEpoch(state, voter, role.preferredSuccessors);
    }
  }
  return state.now >= role.electionDeadlineTick;
}

export function handleBeginQuorumEpochResponse(
  state: CoreState,
  from: NodeId,
  epoch: number,
): void {
  const role = state.roleState;
  if (role.role === Role.leader && epoch === state.quorum.epoch)
    role.beginEpochUnacked.delete(from);
}

export function handleEndQuorumEpochResponse(state: CoreState, from: NodeId, epoch: number): void {
  const role = state.roleState;
  if (role.role === Role.resigned && epoch === state.quorum.epoch)
    role.endEpochUnacked.delete(from);
}
