/**
 * Followers and observers (KIP-595): they pull. Exactly one Fetch is in flight; it leaves after
 * the Ready that made its fetchOffset durable, because the leader counts that offset as an
 * acknowledgement. Responses append entries, truncate on a diverging epoch, or switch the loop to
 * pulling a snapshot chunk by chunk (KIP-630). Observers find the leader by asking the voters.
 *
 * Responses may be late, duplicated or reordered. One is accepted only if it answers the request
 * in flight, and the log has not changed since that request was built; a diverging epoch that
 * would cut into what the leader already confirmed is a stale duplicate and is dropped.
 */
import { assert } from '../../lib/assert.js';
import { becomeProspective, maybeElectionLost } from './election.js';
import {
  appendEntry,
  becomeFollower,
  becomeUnattached,
  currentFetchLoop,
  replaceSnapshot,
  randomElectionTimeout,
  sameSnapshotId,
  send,
  sendAfterPersist,
  successorBackoff,
  truncateLog,
} from './state.js';
import type { CoreState, FetchLoop, FollowerRole, OutstandingFetch } from './state.js';
import { RaftError, Role } from './types.js';
import type {
  BeginQuorumEpochRequest,
  EndQuorumEpochRequest,
  FetchResponse,
  FetchSnapshotResponse,
  NodeId,
  Offset,
  SnapshotId,
} from './types.js';

/** Ticks to wait before asking again after an error response (KRaft retry.backoff.ms). */
function retryBackoffTicks(state: CoreState): number {
  return Math.max(1, Math.floor(state.config.electionBackoffMaxTicks / 10));
}

function fetchTarget(state: CoreState): NodeId | undefined {
  const role = state.roleState;
  if (role.role === Role.follower) return role.leaderId;
  if (role.role === Role.unattached && !state.isVoter) {
    return state.voters[role.discoveryIndex % state.voters.length];
  }
  return undefined;
}

export function fetchIsDue(state: CoreState): boolean {
  const loop = currentFetchLoop(state);
  return (
    loop !== undefined &&
    loop.due &&
    loop.outstanding === undefined &&
    state.now >= loop.retryAtTick
  );
}

/** Called when a Ready is taken: builds the request from the log as that Ready leaves it. */
export function sendDueFetch(state: CoreState): void {
  const loop = currentFetchLoop(state);
  const target = fetchTarget(state);
  if (loop === undefined || target === undefined || !fetchIsDue(state)) return;
  const fetchOffset = state.log.endOffset;
  const lastFetchedEpoch = state.log.lastEpoch();
  const epoch = state.quorum.epoch;
  const snapshot = loop.snapshot;
  if (snapshot !== undefined) {
    send(state, target, {
      type: 'FetchSnapshotRequest',
      epoch,
      replicaId: state.nodeId,
      snapshotId: snapshot.id,
      position: snapshot.position,
      maxBytes: state.config.snapshotChunkBytes,
    });
  } else {
    // The fetch offset claims durability, so it leaves after this Ready's fsync (step 4).
    sendAfterPersist(state, target, {
      type: 'FetchRequest',
      epoch,
      replicaId: state.nodeId,
      fetchOffset,
      lastFetchedEpoch,
      maxBytes: state.config.fetchMaxBytes,
    });
  }
  const kind = snapshot !== undefined ? 'snapshot' : 'fetch';
  loop.outstanding = { kind, target, sentTick: state.now, fetchOffset, lastFetchedEpoch };
  loop.due = false;
}

function tickFetchLoop(state: CoreState, loop: FetchLoop): boolean {
  const outstanding = loop.outstanding;
  if (outstanding === undefined) return false;
  if (state.now - outstanding.sentTick < state.config.requestTimeoutTicks) return false;
  loop.outstanding = undefined;
  loop.due = true;
  return true;
}

export function tickFollower(state: CoreState): void {
  const role = state.roleState;
  assert(role.role === Role.follower, 'expected Follower');
  tickFetchLoop(state, role.fetch);
  if (state.now < role.fetchDeadlineTick) return;
  // KIP-595: no successful fetch for fetch.timeout.ms. A voter runs (pre-vote first); an
  // observer forgets the leader and asks the voters again.
  if (state.isVoter) becomeProspective(state);
  else becomeUnattached(state, state.quorum.epoch);
}

export function tickObserverDiscovery(state: CoreState): void {
  const role = state.roleState;
  assert(role.role === Role.unattached && !state.isVoter, 'expected an unattached observer');
  if (tickFetchLoop(state, role.fetch)) role.discoveryIndex += 1;
}

/** A successful response from the leader: it is alive and we are in touch with it. */
function recordLeaderContact(state: CoreState, role: FollowerRole): void {
  state.lastLeaderFetchTick = state.now;
  state.leaderLost = false;
  state.electionRetries = 0;
  role.fetchDeadlineTick = state.now + state.config.fetchTimeoutTicks;
}

/** The leader is gone or resigned: grant pre-votes, and run soon rather than after a timeout. */
function markLeaderLost(state: CoreState, role: FollowerRole, delayTicks: number): void {
  state.leaderLost = true;
  role.fetchDeadlineTick = Math.min(role.fetchDeadlineTick, state.now + delayTicks);
}

/** Returns the request this response answers, or undefined when it is stale. */
function answeredFetch(
  state: CoreState,
  loop: FetchLoop,
  from: NodeId,
  kind: OutstandingFetch['kind'],
  epoch: number,
): OutstandingFetch | undefined {
  const outstanding = loop.outstanding;
  if (outstanding === undefined || outstanding.kind !== kind || outstanding.target !== from) {
    return undefined;
  }
  if (epoch !== state.quorum.epoch) return undefined;
  return outstanding;
}

function handleFetchError(state: CoreState, loop: FetchLoop, error: RaftError): void {
  loop.outstanding = undefined;
  loop.due = true;
  loop.retryAtTick = state.now + retryBackoffTicks(state);
  const role = state.roleState;
  if (role.role === Role.unattached) role.discoveryIndex += 1;
  if (role.role === Role.follower && error === RaftError.notLeader) {
    markLeaderLost(state, role, randomElectionTimeout(state));
  }
}

export function handleFetchResponse(state: CoreState, from: NodeId, response: FetchResponse): void {
  const loop = currentFetchLoop(state);
  if (loop === undefined) return;
  const request = answeredFetch(state, loop, from, 'fetch', response.epoch);
  if (request === undefined) return;
  if (response.error !== RaftError.none) return handleFetchError(state, loop, response.error);
  const role = state.roleState;
  if (role.role === Role.unattached) {
    // An observer found the leader of its epoch; the next fetch goes to it.
    becomeFollower(state, state.quorum.epoch, from);
    return;
  }
  if (role.role !== Role.follower || role.leaderId !== from) return;
  const unchanged =
    state.log.endOffset === request.fetchOffset &&
    state.log.lastEpoch() === request.lastFetchedEpoch;
  if (!unchanged) return;
  if (response.divergingEpoch !== undefined) {
    const offset = truncationOffset(state, response.divergingEpoch);
    if (offset < state.match.endOffset) return; // a stale duplicate (see the file comment)
  } else if (response.snapshotId !== undefined) {
    // Fresh only if it lies past what we hold from this leader; our log may be longer than the
    // snapshot (its tail diverges in epochs the leader compacted away), and then it is replaced.
    const end = response.snapshotId.endOffset;
    if (end <= state.match.endOffset || end <= state.highWatermark) return; // stale
  } else if (response.entries.length > 0 && response.entries[0]!.offset !== request.fetchOffset) {
    return; // a late answer to an earlier request
  }
  loop.outstanding = undefined;
  loop.due = true;
  recordLeaderContact(state, role);
  if (response.divergingEpoch !== undefined) {
    truncateLog(state, truncationOffset(state, response.divergingEpoch));
  } else if (response.snapshotId !== undefined) {
    loop.snapshot = { id: response.snapshotId, chunks: [], position: 0 };
  } else {
    appendFetched(state, response);
  }
}

/**
 * Where to cut our log for a diverging epoch (Kafka ReplicatedLog.truncateToEndOffset): to the
 * end of that epoch in both logs if we have it, else to the end of our largest earlier epoch;
 * the next fetch checks again, so the logs converge in a few rounds.
 */
function truncationOffset(
  state: CoreState,
  diverging: { epoch: number; endOffset: Offset },
): Offset {
  const log = state.log;
  if (diverging.epoch === 0) return Math.min(diverging.endOffset, log.endOffset);
  const local = log.endOffsetForEpoch(diverging.epoch);
  // Our snapshot covers epochs the leader says it lacks: impossible for a fresh answer (the
  // snapshot is committed, so the leader has it), hence stale; -1 makes the caller drop it.
  if (local === undefined) return -1;
  if (local.epoch === diverging.epoch) return Math.min(local.endOffset, diverging.endOffset);
  return Math.min(local.endOffset, log.endOffset);
}

function appendFetched(state: CoreState, response: FetchResponse): void {
  for (const entry of response.entries) appendEntry(state, entry);
  state.match.endOffset = Math.max(state.match.endOffset, state.log.endOffset);
  // Our log now matches the leader's up to its end, so the leader's HW applies up to there.
  const highWatermark = Math.min(response.highWatermark, state.log.endOffset);
  if (highWatermark > state.highWatermark) state.highWatermark = highWatermark;
}

export function handleFetchSnapshotResponse(
  state: CoreState,
  from: NodeId,
  response: FetchSnapshotResponse,
): void {
  const loop = currentFetchLoop(state);
  const role = state.roleState;
  if (loop === undefined || role.role !== Role.follower || role.leaderId !== from) return;
  const transfer = loop.snapshot;
  if (answeredFetch(state, loop, from, 'snapshot', response.epoch) === undefined) return;
  if (transfer === undefined || !sameSnapshotId(transfer.id, response.snapshotId)) return;
  if (response.position !== transfer.position) return;
  const emptyChunk = response.bytes.byteLength === 0 && response.size > transfer.position;
  if (
    response.error === RaftError.snapshotNotFound ||
    (response.error === RaftError.none && emptyChunk)
  ) {
    // The leader has a newer snapshot now: fetch again to learn which.
    loop.snapshot = undefined;
    loop.outstanding = undefined;
    loop.due = true;
    return;
  }
  if (response.error !== RaftError.none) return handleFetchError(state, loop, response.error);
  loop.outstanding = undefined;
  loop.due = true;
  recordLeaderContact(state, role);
  transfer.chunks.push(response.bytes);
  transfer.position += response.bytes.byteLength;
  if (transfer.position < response.size) return;
  assert(transfer.position === response.size, 'snapshot chunks overran the snapshot size');
  loop.snapshot = undefined;
  installSnapshot(state, transfer.id, concat(transfer.chunks, transfer.position));
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let position = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, position);
    position += chunk.byteLength;
  }
  return bytes;
}

/** KIP-630: the snapshot replaces our whole log; committed entries continue from its end. */
function installSnapshot(state: CoreState, id: SnapshotId, bytes: Uint8Array): void {
  assert(state.highWatermark <= id.endOffset, 'snapshot below our HW');
  state.log.resetTo(id.endOffset, id.epoch);
  state.writes.snapshotInstalled(id, bytes);
  replaceSnapshot(state, id, bytes);
  state.highWatermark = id.endOffset;
  state.appliedOffset = id.endOffset;
  state.match.endOffset = id.endOffset;
}

export function handleBeginQuorumEpoch(
  state: CoreState,
  from: NodeId,
  request: BeginQuorumEpochRequest,
): void {
  const reply = (error: RaftError): void =>
    send(state, from, { type: 'BeginQuorumEpochResponse', epoch: state.quorum.epoch, error });
  if (!state.isVoter) return reply(RaftError.notVoter);
  if (request.epoch < state.quorum.epoch) return reply(RaftError.fencedLeaderEpoch);
  const role = state.roleState;
  assert(request.leaderId !== state.nodeId, 'another node announced itself as us');
  const following = role.role === Role.follower && role.leaderId === request.leaderId;
  if (!following && state.quorum.leaderId === request.leaderId) {
    // We had stopped fetching (a prospective, say): the leader is alive after all.
    becomeFollower(state, request.epoch, request.leaderId);
  }
  return reply(RaftError.none);
}

export function handleEndQuorumEpoch(
  state: CoreState,
  from: NodeId,
  request: EndQuorumEpochRequest,
): void {
  const reply = (error: RaftError): void =>
    send(state, from, { type: 'EndQuorumEpochResponse', epoch: state.quorum.epoch, error });
  if (!state.isVoter) return reply(RaftError.notVoter);
  if (request.epoch < state.quorum.epoch) return reply(RaftError.fencedLeaderEpoch);
  const role = state.roleState;
  const rank = request.preferredSuccessors.indexOf(state.nodeId);
  reply(RaftError.none);
  if (role.role === Role.follower && role.leaderId === request.leaderId) {
    // KIP-595: preferred successors run by rank, the first at once; the others time out sooner.
    if (rank === 0) return becomeProspective(state);
    const delay = rank > 0 ? successorBackoff(state, rank) : randomElectionTimeout(state);
    return markLeaderLost(state, role, delay);
  }
  if (role.role === Role.unattached && rank === 0) becomeProspective(state);
}

/** The transport saw the connection to `nodeId` close (its process probably died). */
export function peerDisconnected(state: CoreState, nodeId: NodeId): void {
  if (state.voters.includes(nodeId)) state.disconnected.add(nodeId);
  const current = state.roleState;
  if (current.role === Role.leader) {
    current.parked.delete(nodeId);
    // Its last response may be lost with the connection: do not long-poll it next time.
    const progress = current.replicas.get(nodeId);
    if (progress !== undefined) progress.lastSentHighWatermark = -1;
    return;
  }
  maybeElectionLost(state);
  const role = state.roleState;
  const loop = currentFetchLoop(state);
  if (loop?.outstanding?.target === nodeId) {
    loop.outstanding = undefined;
    loop.due = true;
    if (role.role === Role.unattached) role.discoveryIndex += 1;
  }
  if (role.role !== Role.follower || role.leaderId !== nodeId) return;
  // Treat it as a fetch timeout after a short random delay (split votes are less likely). Safe
  // because the pre-vote needs a majority that also lost the leader (KIP-996).
  const spreadTicks = Math.max(1, Math.floor(state.config.electionTimeoutTicks / 10));
  markLeaderLost(state, role, state.config.prng.nextInt(0, spreadTicks));
}
