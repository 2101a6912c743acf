/**
 * Partition registrations: made from a PartitionRecord, changed by a PartitionChangeRecord
 * (Kafka's PartitionRegistration.merge), and checked against their invariants every time.
 * A record that breaks them was written by a buggy controller: the asserts stop the node
 * before it serves the bad state.
 */
import { assert } from '../../lib/assert.js';
import {
  NO_LEADER, NO_LEADER_CHANGE, type PartitionChangeRecord, type PartitionRecord,
} from '../records/record-types.js';
import type { PartitionRegistration } from './image-types.js';

/** Shared by every partition without a reassignment (images hold many of them). */
const NONE: readonly number[] = Object.freeze([]);

export function partitionFromRecord(record: PartitionRecord): PartitionRegistration {
  // A new partition's ISR is its replica list: keep one array for both.
  const partition: PartitionRegistration = {
    replicas: record.replicas,
    isr: sameIds(record.isr, record.replicas) ? record.replicas : record.isr,
    removingReplicas: record.removingReplicas.length === 0 ? NONE : record.removingReplicas,
    addingReplicas: record.addingReplicas.length === 0 ? NONE : record.addingReplicas,
    leader: record.leader,
    leaderEpoch: record.leaderEpoch,
    partitionEpoch: record.partitionEpoch,
  };
  checkPartition(partition, record.topicId, record.partitionId);
  return partition;
}

/** The partition after `change`; epochs grow as in Kafka's PartitionRegistration.merge. */
export function mergePartitionChange(
  previous: PartitionRegistration, change: PartitionChangeRecord,
): PartitionRegistration {
  const leaderChanged = change.leader !== NO_LEADER_CHANGE;
  const next: PartitionRegistration = {
    replicas: change.replicas ?? previous.replicas,
    isr: change.isr ?? previous.isr,
    removingReplicas: change.removingReplicas ?? previous.removingReplicas,
    addingReplicas: change.addingReplicas ?? previous.addingReplicas,
    leader: leaderChanged ? change.leader : previous.leader,
    leaderEpoch: leaderChanged ? previous.leaderEpoch + 1 : previous.leaderEpoch,
    partitionEpoch: previous.partitionEpoch + 1,
  };
  checkPartition(next, change.topicId, change.partitionId);
  return next;
}

/** Asserts the invariants written on PartitionRegistration. */
export function checkPartition(
  p: PartitionRegistration, topicId: string, partitionId: number,
): void {
  const problem = partitionProblem(p);
  if (problem !== undefined) assert(false, `partition ${topicId}-${partitionId} ${problem}`);
}

function partitionProblem(p: PartitionRegistration): string | undefined {
  if (p.replicas.length === 0) return 'has no replicas';
  if (hasDuplicates(p.replicas)) return `lists a replica twice: ${p.replicas.join(',')}`;
  if (p.isr.length === 0) return 'has an empty ISR';
  if (hasDuplicates(p.isr)) return `lists an ISR member twice: ${p.isr.join(',')}`;
  for (const member of p.isr) {
    if (!p.replicas.includes(member)) return `has ISR member ${member}, which is not a replica`;
  }
  if (p.leader !== NO_LEADER && !p.isr.includes(p.leader)) {
    return `has leader ${p.leader}, which is not in the ISR ${p.isr.join(',')}`;
  }
  if (p.leaderEpoch < 0 || p.partitionEpoch < 0) return 'has a negative epoch';
  return undefined;
}

function hasDuplicates(ids: readonly number[]): boolean {
  for (let i = 1; i < ids.length; i++) {
    for (let j = 0; j < i; j++) if (ids[i] === ids[j]) return true;
  }
  return false;
}

export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
