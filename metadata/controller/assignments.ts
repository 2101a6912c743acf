/**
 * Pieces createTopics and createPartitions share: checking a manual replica assignment with
 * Kafka's messages, turning replica lists into PartitionRecords, and drawing topic ids.
 */
import type { Prng } from '../../lib/prng.js';
import { randomUuid } from '../../lib/uuid.js';
import type { MetadataImage } from '../image/image-types.js';
import type { PartitionRecord } from '../records/record-types.js';
import { isUsable } from './brokers.js';
import { apiError, type ApiError } from './errors.js';

/** Kafka's validateManualPartitionAssignment, plus the all-fenced check of createTopic. */
export function manualAssignmentError(
  image: MetadataImage, partitionId: number, replicas: readonly number[],
  replicationFactor: number | undefined,
): ApiError | undefined {
  const fail = (message: string): ApiError => apiError('INVALID_REPLICA_ASSIGNMENT', message);
  if (replicas.length === 0) {
    return fail('The manual partition assignment includes an empty replica list.');
  }
  const sorted = [...replicas].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const brokerId = sorted[i]!;
    if (!image.cluster.brokers.has(brokerId)) {
      return fail(`The manual partition assignment includes broker ${brokerId}, but no such ` +
        'broker is registered.');
    }
    if (i > 0 && sorted[i - 1] === brokerId) {
      return fail(`The manual partition assignment includes the broker ${brokerId} more ` +
        'than once.');
    }
  }
  if (replicationFactor !== undefined && replicas.length !== replicationFactor) {
    return fail(`The manual partition assignment includes a partition with ${replicas.length} ` +
      `replica(s), but this is not consistent with previous partitions, which have ` +
      `${replicationFactor} replica(s).`);
  }
  if (!replicas.some((id) => isUsable(image.cluster.brokers.get(id)))) {
    return fail(`All brokers specified in the manual partition assignment for partition ` +
      `${partitionId} are fenced or in controlled shutdown.`);
  }
  return undefined;
}

/** A new partition: ISR = the usable replicas, leader = the first of them, epochs 0. */
export function newPartitionRecord(
  image: MetadataImage, topicId: string, partitionId: number, replicas: readonly number[],
): PartitionRecord {
  const isr = replicas.filter((id) => isUsable(image.cluster.brokers.get(id)));
  return {
    type: 'PartitionRecord',
    partitionId,
    topicId,
    replicas,
    isr,
    removingReplicas: [],
    addingReplicas: [],
    leader: isr[0]!,
    leaderEpoch: 0,
    partitionEpoch: 0,
  };
}

/** A fresh Kafka Uuid from the Prng, unused by the image and by `taken`. */
export function freshTopicId(image: MetadataImage, prng: Prng, taken: ReadonlySet<string>): string {
  const bytes = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const word = prng.nextUint32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  };
  for (;;) {
    const id = randomUuid(2, bytes);
    if (!image.topics.byId.has(id) && !taken.has(id)) return id;
  }
}
