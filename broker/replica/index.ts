/**
 * broker/replica: the data plane of a broker (Kafka's ReplicaManager, Partition,
 * ReplicaFetcherThread, DelayedProduce and DelayedFetch).
 *
 * It owns the partition replicas this broker hosts: their logs (broker/log), their role
 * (leader or follower, from the metadata image), their ISR as the leader sees it, and their
 * high watermark. It answers Produce, Fetch and ListOffsets (already validated by the
 * listener's codec) with typed responses that the listener encodes, and keeps followers
 * replicating from their leaders over the leaders' inter-broker listeners.
 *
 * For what runs on top of it (the group and transaction coordinators): appendRecords and
 * readRecords write and read a led partition as the broker itself, through the same paths as
 * Produce and Fetch; onPartitionLeadership reports becameLeader / becameFollower / stopped per
 * partition, exactly when its role changes.
 *
 * Contracts:
 *  - Roles change only through metadata: onMetadata is called for each committed delta in log
 *    order; a leader asks the controller to change its ISR (AlterPartition) and applies the
 *    answer, which metadata then confirms.
 *  - Record batches are bytes end to end: produced bytes are checked (CRC, size, magic) and
 *    stored as they came, with offsets and the leader epoch stamped in place; fetches return the
 *    stored bytes.
 *  - acks=-1 is acknowledged once the high watermark passes the records: every member of the
 *    maximal ISR holds them, with the ISR at least min.insync.replicas. With
 *    log.flush.interval.messages=1 each replica fsyncs before it acknowledges (its fetch).
 *  - Invariants per partition: logStartOffset <= highWatermark <= logEndOffset; the high
 *    watermark never moves back on a leader; consumers never read at or past it; the leader
 *    and partition epochs never go back; the ISR contains the leader. They are always-on
 *    asserts in partition.ts, the only place those fields change.
 *
 * Ordering: every state change runs to completion in one event-loop turn. Appends to a
 * partition follow the arrival order of produce requests.
 *
 * Files: replica-manager.ts (roles, wiring, timers), partition.ts (state, its invariants and
 * the HW rules), leadership-events.ts (role-change listeners),
 * produce.ts, fetch.ts, list-offsets.ts (requests), purgatory.ts (parked requests),
 * isr-updates.ts (AlterPartition), replica-fetcher.ts + follower-apply.ts (followers),
 * log-store.ts (opening and deleting logs), topic-settings.ts, batch-validation.ts, limits.ts.
 */
import type { DataPlane, DataPlaneContext } from '../data-plane.js';
import { ReplicaManager, type ReplicaManagerOptions } from './replica-manager.js';

export { ReplicaManager, type ReplicaManagerOptions } from './replica-manager.js';
export type { Partition, FollowerState, PendingIsr } from './partition.js';
export type { PartitionLeadershipListener, TopicPartition } from './leadership-events.js';
export type { AppendOptions } from './produce.js';
export { Role } from './partition.js';

/**
 * Builds the data plane and takes the roles the current image gives this broker. Logs open in
 * the background (or on first use); the promise resolves without waiting for them.
 */
export async function createReplicaManager(
  context: DataPlaneContext, options: ReplicaManagerOptions = {},
): Promise<DataPlane & ReplicaManager> {
  const manager = new ReplicaManager(context, options);
  manager.start();
  return manager;
}
