/**
 * The state of one partition replica on this broker (Kafka's Partition + ReplicaState), and the
 * rules that move it: role changes from metadata, follower fetch bookkeeping on the leader, the
 * high watermark over the maximal ISR, and the follower's high watermark. Functions, not
 * methods, so that the rules read as Kafka's and run without a broker around them.
 *
 * The ISR is kept as the controller committed it (`isr`, with `partitionEpoch`); an
 * AlterPartition in flight is `pending` (Kafka's PendingExpandIsr / PendingShrinkIsr). The
 * high watermark uses the maximal ISR, committed ∪ pending, so that it never runs ahead of any
 * replica the controller may count as in sync (KIP-497, research D11).
 *
 * Every field that carries an invariant is readonly outside this file: the functions below are
 * the only places it changes, and each asserts the invariant written on the field (TigerStyle:
 * assert on the fields they govern). They are always on and cost a few comparisons per change;
 * none formats a string unless it fails (lib/check.ts).
 */
import { check } from '../../lib/check.js';
import type { LocalPartition } from '../../metadata/index.js';
import type { PartitionLog } from '../log/index.js';

export const Role = { leader: 'leader', follower: 'follower' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** What the leader knows of one follower (Kafka's ReplicaState). */
export interface FollowerState {
  /** The follower's fetch offset, i.e. its log end; -1 until it fetches in this epoch. */
  logEndOffset: number;
  /** Invariant: never decreases. */
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  /** The leader's log end at the follower's previous fetch. */
  lastFetchLeaderLogEndOffset: number;
  /** The broker epoch the follower sent (KIP-903); -1 unknown. */
  brokerEpoch: number;
}

export interface PendingIsr {
  readonly kind: 'expand' | 'shrink';
  readonly isr: readonly number[];
}

/** A partition as the metadata image registers it. */
export type Registration = LocalPartition['partition'];

export interface Partition {
  readonly key: string;
  readonly topicName: string;
  readonly topicId: string;
  readonly partitionId: number;
  readonly role: Role;
  /** The leader's broker id (this broker when leading), -1 for none. */
  readonly leaderId: number;
  /** Invariant: never decreases (readers are fenced by it, KIP-320). */
  readonly leaderEpoch: number;
  /** Invariant: never decreases; it names the registration `replicas` and `isr` come from. */
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  /** As committed by the controller. Invariant: contains leaderId while we lead. */
  readonly isr: readonly number[];
  /**
   * Leader only. Invariant: an expansion is `isr` plus members, a shrink `isr` minus members,
   * and neither drops the leader.
   */
  readonly pending: PendingIsr | undefined;
  /** Open once log-store.ts has opened (and recovered) it. Invariant: attached once. */
  readonly log: PartitionLog | undefined;
  /**
   * Invariant: logStartOffset <= highWatermark <= logEndOffset; it moves only once the log is
   * open, and never moves back while this broker leads.
   */
  readonly highWatermark: number;
  /**
   * The log end when this broker became leader in leaderEpoch (KIP-101, KIP-207), once the log
   * is open; -1 else. Invariant: -1 on a follower.
   */
  readonly leaderEpochStartOffset: number;
  /** Leader only: every other replica. Invariant: empty on a follower; never this broker. */
  readonly followers: Map<number, FollowerState>;
  /** Set when the replica is stopped; parked requests and late callbacks check it. */
  readonly stopped: boolean;
}

/** The writable view the functions of this file use; nothing else writes these fields. */
type Writable = { -readonly [K in keyof Partition]: Partition[K] };

function writable(p: Partition): Writable {
  return p as Writable;
}

export function partitionKey(topicName: string, partitionId: number): string {
  return `${topicName}-${partitionId}`;
}

export function newPartition(topicName: string, topicId: string, partitionId: number): Partition {
  return {
    key: partitionKey(topicName, partitionId), topicName, topicId, partitionId,
    role: Role.follower, leaderId: -1, leaderEpoch: -1, partitionEpoch: -1,
    replicas: [], isr: [], pending: undefined, log: undefined, highWatermark: 0,
    leaderEpochStartOffset: -1, followers: new Map(), stopped: false,
  };
}

/** The epochs only move forward; a registration from metadata never takes them back. */
function checkEpochs(p: Partition, registration: Registration): void {
  check(registration.leaderEpoch >= p.leaderEpoch, p.key, ': leader epoch went back from ',
    p.leaderEpoch, ' to ', registration.leaderEpoch);
  check(registration.partitionEpoch >= p.partitionEpoch, p.key,
    ': partition epoch went back from ', p.partitionEpoch, ' to ', registration.partitionEpoch);
}

function checkLeaderInIsr(p: Partition, isr: readonly number[]): void {
  check(p.role !== Role.leader || isr.includes(p.leaderId), () =>
    `${p.key}: the ISR ${isr.join(',')} does not contain the leader ${p.leaderId}`);
}

/** Kafka's Partition.makeLeader: this broker leads in the registration's (newer) epoch. */
export function makeLeader(p: Partition, brokerId: number, registration: Registration): void {
  checkEpochs(p, registration);
  check(registration.leader === brokerId, p.key, ': made leader of a partition led by ',
    registration.leader);
  const w = writable(p);
  w.role = Role.leader;
  w.leaderId = brokerId;
  takeRegistration(p, registration);
  // The new epoch starts at the log end; a not yet open log sets it when it opens.
  w.leaderEpochStartOffset = p.log?.logEndOffset ?? -1;
  p.followers.clear();
}

/** Kafka's Partition.makeFollower; the leader may be -1 (none) or another broker. */
export function makeFollower(p: Partition, brokerId: number, registration: Registration): void {
  checkEpochs(p, registration);
  check(registration.leader !== brokerId, p.key, ': made follower of itself');
  const w = writable(p);
  w.role = Role.follower;
  w.leaderId = registration.leader;
  takeRegistration(p, registration);
  w.leaderEpochStartOffset = -1;
  p.followers.clear();
}

/** A new replica set or ISR under the same leader epoch (a higher partition epoch). */
export function updateRegistration(p: Partition, registration: Registration): void {
  checkEpochs(p, registration);
  check(registration.leaderEpoch === p.leaderEpoch, p.key, ': update in another leader epoch');
  takeRegistration(p, registration);
}

function takeRegistration(p: Partition, registration: Registration): void {
  const w = writable(p);
  w.leaderEpoch = registration.leaderEpoch;
  w.partitionEpoch = registration.partitionEpoch;
  w.replicas = registration.replicas;
  checkLeaderInIsr(p, registration.isr);
  w.isr = registration.isr;
  w.pending = undefined;
}

/** The ISR the controller committed for our AlterPartition, before metadata brings it. */
export function applyAlteredIsr(
  p: Partition, isr: readonly number[], partitionEpoch: number,
): void {
  check(partitionEpoch > p.partitionEpoch, p.key, ': AlterPartition answer at partition epoch ',
    partitionEpoch, ', not above ', p.partitionEpoch);
  checkLeaderInIsr(p, isr);
  const w = writable(p);
  w.isr = isr;
  w.partitionEpoch = partitionEpoch;
}

/** Records the AlterPartition in flight (or its end, with undefined). */
export function setPendingIsr(p: Partition, pending: PendingIsr | undefined): void {
  if (pending !== undefined) {
    check(p.role === Role.leader && p.pending === undefined, p.key,
      ': an ISR change on a follower, or a second one in flight');
    checkLeaderInIsr(p, pending.isr);
    const grows = pending.kind === 'expand';
    const [larger, smaller] = grows ? [pending.isr, p.isr] : [p.isr, pending.isr];
    check(larger.length > smaller.length && smaller.every((id) => larger.includes(id)), () =>
      `${p.key}: ${pending.kind} from ${p.isr.join(',')} to ${pending.isr.join(',')}`);
  }
  writable(p).pending = pending;
}

/** Called once the log is open: the HW is brought into it, and a leader's epoch starts. */
export function attachLog(p: Partition, log: PartitionLog): void {
  check(p.log === undefined, p.key, ': a second log attached');
  const w = writable(p);
  w.log = log;
  clampHighWatermark(p);
  if (p.role === Role.leader && p.leaderEpochStartOffset < 0) {
    w.leaderEpochStartOffset = log.logEndOffset;
  }
}

export function detachLog(p: Partition): void {
  writable(p).log = undefined;
}

/** The replica stops for good: it is no longer hosted here, or the broker shuts down. */
export function markStopped(p: Partition): void {
  const w = writable(p);
  w.stopped = true;
  w.pending = undefined;
}

/** The committed ISR plus the members a pending expansion adds (Kafka's maximalIsr). */
export function maximalIsr(p: Partition): readonly number[] {
  if (p.pending === undefined || p.pending.kind === 'shrink') return p.isr;
  return [...p.isr, ...p.pending.isr.filter((id) => !p.isr.includes(id))];
}

/** A new follower record; ISR members count as caught up now (Kafka's resetReplicaState). */
export function freshFollower(inSync: boolean, nowMs: number): FollowerState {
  return {
    logEndOffset: -1, lastCaughtUpTimeMs: inSync ? nowMs : 0, lastFetchTimeMs: 0,
    lastFetchLeaderLogEndOffset: -1, brokerEpoch: -1,
  };
}

/** Follower records for the replicas on a leader; ISR members count as caught up when added. */
export function syncFollowers(p: Partition, nowMs: number): void {
  check(p.role === Role.leader, p.key, ': follower records on a follower');
  for (const id of p.followers.keys()) if (!p.replicas.includes(id)) p.followers.delete(id);
  for (const id of p.replicas) {
    if (id !== p.leaderId && !p.followers.has(id)) {
      p.followers.set(id, freshFollower(p.isr.includes(id), nowMs));
    }
  }
}

/** The record of follower `replicaId` on this leader, made if it has none yet. */
export function followerOf(p: Partition, replicaId: number, nowMs: number): FollowerState {
  check(p.role === Role.leader && replicaId !== p.leaderId, p.key,
    ': follower record for ', replicaId, ' on a partition led by ', p.leaderId);
  let follower = p.followers.get(replicaId);
  if (follower === undefined) {
    follower = freshFollower(false, nowMs);
    p.followers.set(replicaId, follower);
  }
  return follower;
}

/** Kafka's ReplicaState.isCaughtUp. */
export function isCaughtUp(
  f: FollowerState, leaderEndOffset: number, nowMs: number, replicaLagTimeMaxMs: number,
): boolean {
  return f.logEndOffset === leaderEndOffset || nowMs - f.lastCaughtUpTimeMs <= replicaLagTimeMaxMs;
}

/**
 * Kafka's ReplicaState.updateFetchState: a fetch at the leader's end makes the follower caught
 * up now; a fetch reaching what the leader's end was at the previous fetch makes it caught up
 * as of that previous fetch.
 */
export function recordFollowerFetch(
  f: FollowerState, fetchOffset: number, leaderEndOffset: number, nowMs: number,
  brokerEpoch: number,
): void {
  // The fetch handler answers OFFSET_OUT_OF_RANGE before recording a fetch past the log end.
  check(fetchOffset >= 0 && fetchOffset <= leaderEndOffset, 'follower fetch offset ',
    fetchOffset, ' outside the leader log end ', leaderEndOffset);
  if (fetchOffset >= leaderEndOffset) {
    f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, nowMs);
  } else if (fetchOffset >= f.lastFetchLeaderLogEndOffset) {
    f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, f.lastFetchTimeMs);
  }
  f.logEndOffset = fetchOffset;
  f.lastFetchLeaderLogEndOffset = leaderEndOffset;
  f.lastFetchTimeMs = nowMs;
  f.brokerEpoch = brokerEpoch;
}

/**
 * Kafka's maybeIncrementLeaderHW: the new high watermark is the smallest log end among the
 * leader, the maximal ISR and any follower caught up (so that a replica about to join the ISR
 * holds everything below it). With the committed ISR under min.insync.replicas it stays put
 * (KIP-966; research invariant 15). Returns whether it moved; it never moves back.
 */
export function maybeAdvanceHighWatermark(
  p: Partition, nowMs: number, replicaLagTimeMaxMs: number, minInSyncReplicas: number,
): boolean {
  const log = p.log;
  if (p.role !== Role.leader || log === undefined) return false;
  if (p.isr.length < minInSyncReplicas) return false;
  const leaderEnd = log.logEndOffset;
  const maximal = maximalIsr(p);
  let next = leaderEnd;
  for (const [id, f] of p.followers) {
    if (f.logEndOffset >= next) continue;
    if (maximal.includes(id) || isCaughtUp(f, leaderEnd, nowMs, replicaLagTimeMaxMs)) {
      next = f.logEndOffset;
    }
  }
  if (next <= p.highWatermark) return false;
  setHighWatermark(p, log, next);
  return true;
}

/** A follower's high watermark: the leader's, capped by what this replica holds. */
export function setFollowerHighWatermark(p: Partition, leaderHighWatermark: number): void {
  const log = p.log;
  if (log === undefined) return;
  setHighWatermark(p, log, clampToLog(leaderHighWatermark, log));
}

/** Keeps the invariant after the log moved under the high watermark (truncation, retention). */
export function clampHighWatermark(p: Partition): void {
  const log = p.log;
  if (log !== undefined) setHighWatermark(p, log, clampToLog(p.highWatermark, log));
}

/** The one place the high watermark changes. */
function setHighWatermark(p: Partition, log: PartitionLog, next: number): void {
  check(next >= log.logStartOffset, p.key, ': high watermark ', next, ' below the log start ',
    log.logStartOffset);
  check(next <= log.logEndOffset, p.key, ': high watermark ', next, ' above the log end ',
    log.logEndOffset);
  check(p.role !== Role.leader || next >= p.highWatermark, p.key,
    ': the leader high watermark moved back from ', p.highWatermark, ' to ', next);
  writable(p).highWatermark = next;
}

function clampToLog(offset: number, log: PartitionLog): number {
  return Math.min(Math.max(offset, log.logStartOffset), log.logEndOffset);
}
