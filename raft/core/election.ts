/**
 * Elections: KIP-996 pre-vote (Prospective), then the Raft vote (Candidate, Raft §5.2), and the
 * voter's side of both. A pre-vote changes nothing on either side, so a partitioned or lagging
 * voter cannot inflate epochs or depose a live leader; only a majority of pre-votes lets a voter
 * bump its epoch.
 */
import { assert } from '../../lib/assert.js';
import { becomeLeader } from './leader.js';
import {
  becomeFollower,
  becomeUnattached,
  electionBackoff,
  isLogUpToDate,
  leaderHint,
  NO_NODE,
  randomElectionTimeout,
  send,
  setQuorum,
} from './state.js';
import type { CoreState, ElectionRole } from './state.js';
import { RaftError, Role } from './types.js';
import type { NodeId, VoteRequest, VoteResponse } from './types.js';

function sendVoteRequests(state: CoreState, role: ElectionRole, preVote: boolean): void {
  for (const voter of state.voters) {
    if (voter === state.nodeId || role.grants.has(voter) || role.rejects.has(voter)) continue;
    send(state, voter, {
      type: 'VoteRequest',
      epoch: state.quorum.epoch,
      candidateId: state.nodeId,
      lastOffsetEpoch: state.log.lastEpoch(),
      lastOffset: state.log.endOffset,
      preVote,
    });
  }
  role.lastRequestTick = state.now;
}

function newElectionRole(
  state: CoreState,
  role: typeof Role.prospective | typeof Role.candidate,
): ElectionRole {
  return {
    role,
    grants: new Set([state.nodeId]),
    rejects: new Set(),
    electionDeadlineTick: state.now + randomElectionTimeout(state),
    lastRequestTick: state.now,
    backoffUntilTick: undefined,
  };
}

/** KIP-996: ask for pre-votes at the current epoch; nothing is persisted. */
export function becomeProspective(state: CoreState): void {
  assert(state.isVoter, 'an observer never runs for election');
  const previous = state.roleState;
  if (previous.role === Role.leader) return;
  const role = newElectionRole(state, Role.prospective);
  state.roleState = role;
  if (role.grants.size >= state.majority) {
    becomeCandidate(state);
    return;
  }
  sendVoteRequests(state, role, true);
}

/** Raft §5.2: bump the epoch, vote for ourselves (persisted before any request), ask the rest. */
function becomeCandidate(state: CoreState): void {
  const epoch = state.quorum.epoch + 1;
  setQuorum(state, { epoch, votedId: state.nodeId, leaderId: NO_NODE });
  state.lastLeaderFetchTick = undefined;
  state.leaderLost = false;
  state.match = { epoch, leaderId: NO_NODE, endOffset: 0 };
  const role = newElectionRole(state, Role.candidate);
  state.roleState = role;
  if (role.grants.size >= state.majority) {
    becomeLeader(state);
    return;
  }
  sendVoteRequests(state, role, false);
}

/**
 * A lost (or timed-out) election. A prospective that knows the leader of its epoch goes back to
 * fetching from it (KIP-996); otherwise the voter retries after an exponential backoff.
 */
function electionLost(state: CoreState, role: ElectionRole): void {
  const leaderId = state.quorum.leaderId;
  if (role.role === Role.prospective && leaderId !== NO_NODE && leaderId !== state.nodeId) {
    const leaderLost = state.leaderLost;
    becomeFollower(state, state.quorum.epoch, leaderId);
    const follower = state.roleState;
    assert(follower.role === Role.follower, 'became follower');
    // The leader's connection closed: retry soon rather than after a whole fetch timeout.
    if (leaderLost) follower.fetchDeadlineTick = state.now + electionBackoff(state);
    return;
  }
  role.backoffUntilTick = state.now + electionBackoff(state);
}

export function tickElection(state: CoreState): void {
  const role = state.roleState;
  assert(role.role === Role.prospective || role.role === Role.candidate, 'expected an election');
  if (role.backoffUntilTick !== undefined) {
    if (state.now >= role.backoffUntilTick) becomeProspective(state);
    return;
  }
  if (state.now >= role.electionDeadlineTick) {
    electionLost(state, role);
    return;
  }
  if (state.now - role.lastRequestTick >= state.config.requestTimeoutTicks) {
    sendVoteRequests(state, role, role.role === Role.prospective);
  }
}

/**
 * KIP-996: grant a pre-vote only if no live leader is known: a leader refuses, and a follower
 * refuses while it fetches successfully from its leader (unless that leader is known gone).
 */
function mayGrantPreVote(state: CoreState): boolean {
  const role = state.roleState.role;
  if (role === Role.leader) return false;
  if (role !== Role.follower) return true;
  const last = state.lastLeaderFetchTick;
  return (
    state.leaderLost || last === undefined || state.now - last >= state.config.fetchTimeoutTicks
  );
}

/** Raft §5.2: one vote per epoch, to a candidate whose log is up to date (§5.4.1). */
function mayGrantVote(state: CoreState, candidateId: NodeId): boolean {
  const { votedId, leaderId } = state.quorum;
  if (state.roleState.role === Role.leader || leaderId !== NO_NODE) return false;
  return votedId === NO_NODE || votedId === candidateId;
}

export function handleVoteRequest(state: CoreState, from: NodeId, request: VoteRequest): void {
  const reply = (granted: boolean, error: RaftError): void =>
    send(state, from, {
      type: 'VoteResponse',
      epoch: state.quorum.epoch,
      granted,
      preVote: request.preVote,
      leaderId: leaderHint(state),
      error,
    });
  const candidateIsVoter =
    state.voters.includes(request.candidateId) && from === request.candidateId;
  if (!state.isVoter || !candidateIsVoter) return reply(false, RaftError.notVoter);
  if (request.epoch < state.quorum.epoch) return reply(false, RaftError.fencedLeaderEpoch);
  const upToDate = isLogUpToDate(state, request.lastOffsetEpoch, request.lastOffset);
  if (request.preVote) return reply(upToDate && mayGrantPreVote(state), RaftError.none);
  assert(request.epoch === state.quorum.epoch, 'a newer epoch was adopted before dispatch');
  const granted = upToDate && mayGrantVote(state, request.candidateId);
  if (granted && state.quorum.votedId === NO_NODE) {
    // Persisted in this Ready's step 1, before the response goes out in step 2 (Raft §5.2).
    setQuorum(state, { ...state.quorum, votedId: request.candidateId });
    becomeUnattached(state, state.quorum.epoch);
  } else if (granted && state.roleState.role === Role.unattached) {
    // Raft §5.2: granting a vote restarts the election timer.
    state.roleState.electionDeadlineTick = state.now + randomElectionTimeout(state);
  }
  return reply(granted, RaftError.none);
}

export function handleVoteResponse(state: CoreState, from: NodeId, response: VoteResponse): void {
  const role = state.roleState;
  if (role.role !== Role.prospective && role.role !== Role.candidate) return;
  if (!state.voters.includes(from) || role.backoffUntilTick !== undefined) return;
  if (response.preVote !== (role.role === Role.prospective)) return;
  // A pre-vote from a voter at an older epoch still counts: the real vote will bring it forward.
  // A real vote only counts in our epoch.
  if (response.epoch > state.quorum.epoch) return;
  if (!response.preVote && response.epoch !== state.quorum.epoch) return;
  if (response.granted && response.error === RaftError.none) {
    role.rejects.delete(from);
    role.grants.add(from);
    if (role.grants.size < state.majority) return;
    if (role.role === Role.prospective) becomeCandidate(state);
    else becomeLeader(state);
    return;
  }
  if (role.grants.has(from)) return;
  role.rejects.add(from);
  maybeElectionLost(state);
}

/**
 * The election is lost once a majority can no longer grant: voters that refused, and voters
 * whose connection closed (a dead leader must not make a split vote wait a whole timeout).
 */
export function maybeElectionLost(state: CoreState): void {
  const role = state.roleState;
  if (role.role !== Role.prospective && role.role !== Role.candidate) return;
  if (role.backoffUntilTick !== undefined) return;
  let lost = role.rejects.size;
  for (const voter of state.disconnected) {
    if (!role.grants.has(voter) && !role.rejects.has(voter)) lost += 1;
  }
  if (lost > state.voters.length - state.majority) electionLost(state, role);
}
