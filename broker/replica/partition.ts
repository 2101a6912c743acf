/**
 * The state of one partition replica on this broker (Kafka's Partition + ReplicaState), and the
 * rules that move it: follower fetch bookkeeping on the leader, the high watermark over the
 * maximal ISR, and the follower's high watermark. Functions, not methods, so that the rules
 * read as Kafka's and run without a broker around them.
 *
 * The ISR is kept as the controller committed it (`isr`, with `partitionEpoch`); an
 * AlterPartition in flight is `pending` (Kafka's PendingExpandIsr / PendingShrinkIsr). The
 * high watermark uses the maximal ISR, committed ∪ pending, so that it never runs ahead of any
 * replica the controller may count as in sync (KIP-497, research D11).
 */
import type { PartitionLog } from '../log/index.js';

export const Role = { leader: 'leader', follower: 'follower' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** What the leader knows of one follower (Kafka's ReplicaState). */
export interface FollowerState {
  /** The follower's fetch offset, i.e. its log end; -1 until it fetches in this epoch. */
  logEndOffset: number;
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

export interface Partition {
  readonly key: string;
  readonly topicName: string;
  readonly topicId: string;
  readonly partitionId: number;
  role: Role;
  /** The leader's broker id (this broker when leading), -1 for none. */
  leaderId: number;
  leaderEpoch: number;
  partitionEpoch: number;
  replicas: readonly number[];
  /** As committed by the controller. Invariant: contains leaderId while we lead. */
  isr: readonly number[];
  pending: PendingIsr | undefined;
  /** Open once log-store.ts has opened (and recovered) it. */
  log: PartitionLog | undefined;
  /** Invariant: logStartOffset <= highWatermark <= logEndOffset once the log is open. */
  highWatermark: number;
  /** The log end when this broker became leader in leaderEpoch (KIP-101, KIP-207); -1 else. */
  leaderEpochStartOffset: number;
  /** Leader only: every other replica. */
  readonly followers: Map<number, FollowerState>;
  /** Set when the replica is stopped; parked requests and late callbacks check it. */
  stopped: boolean;
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
  p.highWatermark = next;
  return true;
}

/** A follower's high watermark: the leader's, capped by what this replica holds. */
export function setFollowerHighWatermark(p: Partition, leaderHighWatermark: number): void {
  const log = p.log;
  if (log === undefined) return;
  p.highWatermark = clampToLog(leaderHighWatermark, log);
}

/** Keeps the invariant after the log moved under the high watermark (truncation, retention). */
export function clampHighWatermark(p: Partition): void {
  if (p.log !== undefined) p.highWatermark = clampToLog(p.highWatermark, p.log);
}

function clampToLog(offset: number, log: PartitionLog): number {
  return Math.min(Math.max(offset, log.logStartOffset), log.logEndOffset);
}
