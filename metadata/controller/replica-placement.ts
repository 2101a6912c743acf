/**
 * Replica placement: Kafka's rack-unaware assignment (AdminUtils.assignReplicasToBrokers-
 * RackUnaware). The first replica (the preferred leader) goes round-robin over the brokers
 * from a random start; each further replica sits a shift away from the first, and the shift
 * grows by one after every full round, so leaders and followers both spread evenly: with B
 * brokers and a multiple of B partitions, each broker leads P/B and holds P*RF/B replicas.
 * The randomness (start index and first shift) comes from the injected Prng.
 */
import { assert } from '../../lib/assert.js';
import type { Prng } from '../../lib/prng.js';

export type PlacementResult =
  | { readonly ok: true; readonly assignments: readonly (readonly number[])[] }
  | { readonly ok: false; readonly message: string };

export interface PlacementStart {
  /** Index into the broker list of partition startPartitionId's first replica. */
  readonly startIndex: number;
  /** Partition ids continue from here (createPartitions). */
  readonly startPartitionId: number;
}

/**
 * Places `numPartitions` partitions of `replicationFactor` replicas on `brokerIds` (the
 * usable brokers, sorted). The messages are the InvalidReplicationFactorException texts of
 * Kafka's replica placer.
 */
export function placeReplicas(
  brokerIds: readonly number[], numPartitions: number, replicationFactor: number,
  prng: Prng, start?: PlacementStart,
): PlacementResult {
  assert(numPartitions >= 1 && replicationFactor >= 1, 'placement needs positive sizes');
  const n = brokerIds.length;
  if (n === 0) return { ok: false, message: 'All brokers are currently fenced.' };
  if (replicationFactor > n) {
    return {
      ok: false,
      message: `The target replication factor of ${replicationFactor} cannot be reached ` +
        `because only ${n} broker(s) are registered.`,
    };
  }
  const startIndex = start === undefined ? prng.nextInt(0, n) : start.startIndex % n;
  let shift = start === undefined ? prng.nextInt(0, n) : start.startIndex % n;
  let partitionId = start?.startPartitionId ?? 0;
  const assignments: number[][] = [];
  for (let i = 0; i < numPartitions; i++, partitionId++) {
    if (partitionId > 0 && partitionId % n === 0) shift++;
    const first = (partitionId + startIndex) % n;
    const replicas = [brokerIds[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokerIds[(first + 1 + ((shift + j) % (n - 1))) % n]!);
    }
    assignments.push(replicas);
  }
  return { ok: true, assignments };
}
