/**
 * The facade the runtime and the simulator drive: tick, step, propose and friends go in; a
 * Ready comes out (see index.ts for the contract). All behaviour lives in the role modules; this
 * class owns the state, dispatches, and assembles Readies.
 */
import { assert } from '../../lib/assert.js';
import type { RaftCoreConfig, RaftCoreInitialState } from './config.js';
import {
  becomeProspective,
  handleVoteRequest,
  handleVoteResponse,
  tickElection,
} from './election.js';
import {
  fetchIsDue,
  handleBeginQuorumEpoch,
  handleEndQuorumEpoch,
  handleFetchResponse,
  handleFetchSnapshotResponse,
  peerDisconnected,
  sendDueFetch,
  tickFollower,
  tickObserverDiscovery,
} from './follower.js';
import {
  becomeResigned,
  handleBeginQuorumEpochResponse,
  handleEndQuorumEpochResponse,
  handleFetchRequest,
  handleFetchSnapshotRequest,
  maybeAdvanceHighWatermark,
  propose,
  tickLeader,
  tickResigned,
} from './leader.js';
import { RaftLog } from './log.js';
import { PendingWrites } from './pending-writes.js';
import {
  becomeFollower,
  becomeUnattached,
  leaderHint,
  NO_NODE,
  newFetchLoop,
  observeEpoch,
  replaceSnapshot,
} from './state.js';
import type { CoreState } from './state.js';
import { Role } from './types.js';
import type {
  Epoch,
  LogEntry,
  NodeId,
  Offset,
  ProposeResult,
  QuorumState,
  QuorumStatus,
  RaftMessage,
  RaftMessageBody,
  Ready,
  ReplicaStatus,
  SnapshotId,
} from './types.js';

function validateConfig(config: RaftCoreConfig): void {
  const { voters } = config;
  assert(voters.length > 0 && new Set(voters).size === voters.length, 'voters: non-empty, unique');
  for (const key of [
    'electionTimeoutTicks',
    'fetchTimeoutTicks',
    'electionBackoffMaxTicks',
    'requestTimeoutTicks',
    'fetchMaxBytes',
    'snapshotChunkBytes',
    'maxUncommittedBytes',
  ] as const) {
    assert(Number.isInteger(config[key]) && config[key] >= 1, `${key} must be an integer >= 1`);
  }
  const wait = config.fetchMaxWaitTicks;
  // At least one tick: a leader that answers a fetch with nothing new at once answers every
  // duplicate of it too, and each answer looks fresh to the follower (same fetch offset), so
  // on a network that duplicates messages the fetches in flight multiply without bound (the
  // metadata simulation found such a storm). Parking collapses them (one parked fetch per
  // replica). RaftNode converts milliseconds with a one-tick minimum.
  assert(Number.isInteger(wait) && wait >= 1, 'fetchMaxWaitTicks must be an integer >= 1');
  // A parked fetch must be answered before its fetcher resends it or gives up on the leader.
  assert(wait < config.requestTimeoutTicks, 'fetchMaxWaitTicks must be < requestTimeoutTicks');
  assert(wait < config.fetchTimeoutTicks, 'fetchMaxWaitTicks must be < fetchTimeoutTicks');
}

function createLog(initial: RaftCoreInitialState): RaftLog {
  const { snapshot, logStartOffset, entries } = initial;
  assert(entries.length === 0 || entries[0]!.offset === logStartOffset, 'entries not at log start');
  assert(snapshot !== undefined || logStartOffset === 0, 'log start above 0 without a snapshot');
  const snapshotEnd = snapshot?.id.endOffset ?? 0;
  assert(
    logStartOffset <= snapshotEnd,
    `gap between snapshot ${snapshotEnd} and log ${logStartOffset}`,
  );
  const baseEpoch = logStartOffset === snapshotEnd ? (snapshot?.id.epoch ?? 0) : undefined;
  const log = new RaftLog(logStartOffset, baseEpoch, entries);
  assert(
    log.endOffset >= snapshotEnd,
    `log ends at ${log.endOffset}, below snapshot ${snapshotEnd}`,
  );
  if (snapshot !== undefined) {
    const epochAtEnd = log.epochAt(snapshotEnd - 1);
    assert(epochAtEnd === undefined || epochAtEnd === snapshot.id.epoch, 'snapshot epoch mismatch');
  }
  return log;
}

/** The message's claim about who leads its epoch (used to adopt epochs and learn leaders). */
function leaderNamedBy(body: RaftMessageBody): NodeId {
  switch (body.type) {
    case 'BeginQuorumEpochRequest':
    case 'EndQuorumEpochRequest':
    case 'FetchResponse':
    case 'FetchSnapshotResponse':
      return body.leaderId;
    case 'VoteResponse':
      return body.granted ? NO_NODE : body.leaderId;
    default:
      return NO_NODE;
  }
}

export class RaftCore {
  readonly #state: CoreState;
  #nextReadyId = 1;
  #lastReadyHighWatermark = 0;

  constructor(config: RaftCoreConfig, initial: RaftCoreInitialState) {
    validateConfig(config);
    const log = createLog(initial);
    const snapshotEnd = initial.snapshot?.id.endOffset ?? 0;
    const isVoter = config.voters.includes(config.nodeId);
    this.#state = {
      config,
      nodeId: config.nodeId,
      voters: [...config.voters],
      isVoter,
      majority: Math.floor(config.voters.length / 2) + 1,
      now: 0,
      quorum: { ...initial.quorumState },
      quorumDirty: false,
      roleState: {
        role: Role.unattached,
        electionDeadlineTick: 0,
        fetch: newFetchLoop(false),
        discoveryIndex: 0,
      },
      log,
      writes: new PendingWrites(log.endOffset),
      highWatermark: snapshotEnd,
      appliedOffset: snapshotEnd,
      snapshot: initial.snapshot && { ...initial.snapshot, lastServedTick: -1 },
      olderSnapshots: [],
      electionRetries: 0,
      lastLeaderFetchTick: undefined,
      leaderLost: false,
      match: { epoch: initial.quorumState.epoch, leaderId: NO_NODE, endOffset: 0 },
      disconnected: new Set(),
      messages: [],
      messagesAfterPersist: [],
    };
    this.#startRole();
  }

  #startRole(): void {
    const state = this.#state;
    const { epoch, leaderId } = state.quorum;
    if (leaderId === state.nodeId && state.isVoter) {
      // KRaft: a leader that restarts does not resume (its unflushed tail may be gone); it
      // resigns in its epoch and lets the voters elect, itself included, a new leader.
      becomeResigned(state);
    } else if (leaderId !== NO_NODE && leaderId !== state.nodeId) {
      becomeFollower(state, epoch, leaderId);
    } else {
      becomeUnattached(state, epoch);
    }
    if (state.isVoter && state.voters.length === 1) becomeProspective(state);
  }

  tick(): void {
    const state = this.#state;
    state.now += 1;
    const role = state.roleState;
    switch (role.role) {
      case Role.leader:
        return tickLeader(state);
      case Role.follower:
        return tickFollower(state);
      case Role.prospective:
      case Role.candidate:
        return tickElection(state);
      case Role.resigned:
        if (tickResigned(state)) becomeProspective(state);
        return;
      case Role.unattached:
        if (!state.isVoter) return tickObserverDiscovery(state);
        if (state.now >= role.electionDeadlineTick) becomeProspective(state);
        return;
    }
  }

  step(message: RaftMessage): void {
    const state = this.#state;
    if (message.to !== state.nodeId || message.from === state.nodeId) return;
    const { from, body } = message;
    state.disconnected.delete(from);
    if (!(body.type === 'VoteRequest' && body.preVote)) {
      observeEpoch(state, body.epoch, leaderNamedBy(body));
    }
    switch (body.type) {
      case 'VoteRequest':
        return handleVoteRequest(state, from, body);
      case 'VoteResponse':
        return handleVoteResponse(state, from, body);
      case 'BeginQuorumEpochRequest':
        return handleBeginQuorumEpoch(state, from, body);
      case 'BeginQuorumEpochResponse':
        return handleBeginQuorumEpochResponse(state, from, body.epoch);
      case 'EndQuorumEpochRequest':
        return handleEndQuorumEpoch(state, from, body);
      case 'EndQuorumEpochResponse':
        return handleEndQuorumEpochResponse(state, from, body.epoch);
      case 'FetchRequest':
        return handleFetchRequest(state, from, body);
      case 'FetchResponse':
        return handleFetchResponse(state, from, body);
      case 'FetchSnapshotRequest':
        return handleFetchSnapshotRequest(state, from, body);
      case 'FetchSnapshotResponse':
        return handleFetchSnapshotResponse(state, from, body);
    }
  }

  propose(data: readonly Uint8Array[]): ProposeResult {
    return propose(this.#state, data);
  }

  peerDisconnected(nodeId: NodeId): void {
    if (nodeId !== this.#state.nodeId) peerDisconnected(this.#state, nodeId);
  }

  snapshotCreated(id: SnapshotId, bytes: Uint8Array, retainEntries: number): void {
    const state = this.#state;
    assert(id.endOffset <= state.highWatermark, `snapshot ${id.endOffset} above HW`);
    assert(Number.isInteger(retainEntries) && retainEntries >= 0, 'retainEntries must be >= 0');
    if (state.snapshot !== undefined && id.endOffset <= state.snapshot.id.endOffset) return;
    const epochAtEnd = state.log.epochAt(id.endOffset - 1);
    assert(epochAtEnd === undefined || epochAtEnd === id.epoch, 'snapshot id epoch mismatch');
    replaceSnapshot(state, id, bytes);
    const logStart = Math.max(state.log.startOffset, id.endOffset - retainEntries);
    if (logStart > state.log.startOffset) {
      state.log.advanceStartTo(logStart);
      state.writes.logStartMoved(logStart);
    }
  }

  resign(): void {
    if (this.#state.roleState.role === Role.leader) becomeResigned(this.#state);
  }

  hasReady(): boolean {
    const state = this.#state;
    return (
      state.quorumDirty ||
      state.messages.length > 0 ||
      state.messagesAfterPersist.length > 0 ||
      state.writes.hasWrites() ||
      state.highWatermark > state.appliedOffset ||
      fetchIsDue(state)
    );
  }

  ready(): Ready {
    const state = this.#state;
    sendDueFetch(state);
    const readyId = this.#nextReadyId++;
    const quorumState = state.quorumDirty ? state.quorum : undefined;
    state.quorumDirty = false;
    const writes = state.writes.take(readyId, state.log.endOffset);
    const committed: LogEntry[] = [];
    assert(state.appliedOffset >= state.log.startOffset, 'committed entries below the log start');
    for (let offset = state.appliedOffset; offset < state.highWatermark; offset++) {
      committed.push(state.log.entryAt(offset)!);
    }
    state.appliedOffset = state.highWatermark;
    // Invariant: the HW never decreases and never passes the end of the log.
    assert(state.highWatermark >= this.#lastReadyHighWatermark, 'the high watermark decreased');
    assert(state.highWatermark <= state.log.endOffset, 'the high watermark is past the log end');
    this.#lastReadyHighWatermark = state.highWatermark;
    const ready: Ready = {
      readyId,
      ...(quorumState !== undefined ? { quorumState } : {}),
      messages: state.messages,
      ...writes,
      messagesAfterPersist: state.messagesAfterPersist,
      highWatermark: state.highWatermark,
      committed,
    };
    state.messages = [];
    state.messagesAfterPersist = [];
    return ready;
  }

  persisted(readyId: number): void {
    const state = this.#state;
    state.writes.persisted(readyId);
    if (state.roleState.role === Role.leader) maybeAdvanceHighWatermark(state);
  }

  status(): QuorumStatus {
    const state = this.#state;
    const role = state.roleState;
    const voters: ReplicaStatus[] = [];
    const observers: ReplicaStatus[] = [];
    if (role.role === Role.leader) {
      for (const voter of state.voters) {
        const progress = role.replicas.get(voter);
        if (voter === state.nodeId) {
          const self = this.flushedEndOffset;
          voters.push({
            nodeId: voter,
            logEndOffset: self,
            lastFetchTick: state.now,
            lastCaughtUpTick: state.now,
          });
        } else if (progress !== undefined) {
          const { nodeId, endOffset, lastFetchTick, lastCaughtUpTick } = progress;
          voters.push({ nodeId, logEndOffset: endOffset, lastFetchTick, lastCaughtUpTick });
        }
      }
      for (const progress of role.replicas.values()) {
        if (progress.isVoter) continue;
        const { nodeId, endOffset, lastFetchTick, lastCaughtUpTick } = progress;
        observers.push({ nodeId, logEndOffset: endOffset, lastFetchTick, lastCaughtUpTick });
      }
    }
    return {
      nodeId: state.nodeId,
      role: role.role,
      epoch: state.quorum.epoch,
      leaderId: leaderHint(state),
      votedId: state.quorum.votedId,
      highWatermark: state.highWatermark,
      logStartOffset: state.log.startOffset,
      logEndOffset: state.log.endOffset,
      flushedEndOffset: this.flushedEndOffset,
      voters,
      observers,
    };
  }

  // Read-only inspection for tests and the simulator.

  get nodeId(): NodeId {
    return this.#state.nodeId;
  }
  get isVoter(): boolean {
    return this.#state.isVoter;
  }
  get role(): Role {
    return this.#state.roleState.role;
  }
  get epoch(): Epoch {
    return this.#state.quorum.epoch;
  }
  /** The leader as this node knows it (itself when leading), -1 if unknown: status().leaderId. */
  get leaderId(): NodeId {
    return leaderHint(this.#state);
  }
  /** The quorum state in memory (the driver persists it from Ready.quorumState). */
  get quorumState(): QuorumState {
    return this.#state.quorum;
  }
  get highWatermark(): Offset {
    return this.#state.highWatermark;
  }
  /** Everything below was handed out in Ready.committed or covered by a snapshot. */
  get appliedOffset(): Offset {
    return this.#state.appliedOffset;
  }
  get logStartOffset(): Offset {
    return this.#state.log.startOffset;
  }
  get logEndOffset(): Offset {
    return this.#state.log.endOffset;
  }
  /** The prefix of the in-memory log known to be on disk as it is in memory. */
  get flushedEndOffset(): Offset {
    return Math.min(this.#state.writes.flushedEndOffset, this.#state.log.endOffset);
  }
  /** The leader's first offset of its epoch (its leaderChange entry); undefined elsewhere. */
  get epochStartOffset(): Offset | undefined {
    const role = this.#state.roleState;
    return role.role === Role.leader ? role.epochStartOffset : undefined;
  }
  get snapshotId(): SnapshotId | undefined {
    return this.#state.snapshot?.id;
  }
  /** The current tick count (starts at 0 with each instance). */
  get now(): number {
    return this.#state.now;
  }
  entries(): readonly LogEntry[] {
    return this.#state.log.entries();
  }
  entryAt(offset: Offset): LogEntry | undefined {
    return this.#state.log.entryAt(offset);
  }
  /** Epoch of the entry at `offset`; logStartOffset - 1 gives the snapshot's epoch if known. */
  epochAt(offset: Offset): Epoch | undefined {
    return this.#state.log.epochAt(offset);
  }
  /** Same as epochAt (the runtime's name: the epoch a snapshot ending after `offset` gets). */
  epochOfEntry(offset: Offset): Epoch | undefined {
    return this.#state.log.epochAt(offset);
  }
}
