/**
 * Partitioners, shaped like KafkaJS's: `createPartitioner()` returns a function
 * `({ topic, partitionMetadata, message }) => partition`, called once per message that names no
 * partition (`message.partition` always wins and the partitioner is not asked).
 *
 * - DefaultPartitioner (also exported as JavaCompatiblePartitioner): a keyed message goes to
 *   toPositive(murmur2(key)) % partitionCount over all partitions, bit for bit as Java's
 *   BuiltInPartitioner and KafkaJS's default; a keyless message sticks to one partition with a
 *   leader until a batch for that partition is sent, then moves to another (KIP-480's sticky
 *   partitioner), so keyless traffic fills whole batches instead of many small ones.
 * - RoundRobinPartitioner: Java's RoundRobinPartitioner; every message, keyed or not, goes to
 *   the next partition with a leader, per topic.
 * KafkaJS's LegacyPartitioner is not provided: its hash differs from Java's.
 *
 * A partitioner may carry `onBatchSent(topic, partition)`; the producer calls it when it closes
 * a batch (how the sticky partitioner learns to move on). Custom partitioners need not have it.
 */
import { partitionForKey } from '../../protocol/records/index.js';
import type { Message } from './types.js';

/** KafkaJS's PartitionMetadata, as handed to partitioners. */
export interface PartitionerPartitionMetadata {
  readonly partitionErrorCode: number;
  readonly partitionId: number;
  /** -1 when the partition has no leader. */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas?: readonly number[];
}

export interface PartitionerArgs {
  readonly topic: string;
  readonly partitionMetadata: readonly PartitionerPartitionMetadata[];
  readonly message: Message;
}

export type Partitioner = ((args: PartitionerArgs) => number) & {
  onBatchSent?: (topic: string, partition: number) => void;
};

/** KafkaJS's ICustomPartitioner: a factory, called once per producer. */
export type ICustomPartitioner = () => Partitioner;

/** The bytes a key is hashed as: UTF-8 for strings (Java's StringSerializer). */
export function keyBytes(key: Buffer | Uint8Array | string): Uint8Array {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
}

function available(partitions: readonly PartitionerPartitionMetadata[]): number[] {
  const ids = partitions.filter((p) => p.leader >= 0).map((p) => p.partitionId);
  return ids.length > 0 ? ids : partitions.map((p) => p.partitionId);
}

const defaultPartitioner: ICustomPartitioner = () => {
  const sticky = new Map<string, number>();
  const previous = new Map<string, number>();
  const partitioner: Partitioner = ({ topic, partitionMetadata, message }) => {
    const count = partitionMetadata.length;
    if (message.key !== undefined && message.key !== null) {
      return partitionForKey(keyBytes(message.key), count);
    }
    const current = sticky.get(topic);
    if (current !== undefined && current < count) return current;
    const candidates = available(partitionMetadata);
    const last = previous.get(topic);
    const others = candidates.length > 1 ? candidates.filter((p) => p !== last) : candidates;
    const chosen = others[Math.floor(Math.random() * others.length)] ?? 0;
    sticky.set(topic, chosen);
    return chosen;
  };
  partitioner.onBatchSent = (topic, partition) => {
    if (sticky.get(topic) !== partition) return;
    sticky.delete(topic);
    previous.set(topic, partition);
  };
  return partitioner;
};

const roundRobinPartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata }) => {
    const candidates = available(partitionMetadata);
    const next = counters.get(topic) ?? Math.floor(Math.random() * candidates.length);
    counters.set(topic, (next + 1) % 0x7fffffff);
    return candidates[next % candidates.length] ?? 0;
  };
};

export const Partitioners = {
  DefaultPartitioner: defaultPartitioner,
  /** KafkaJS's name for the same Java-compatible partitioner. */
  JavaCompatiblePartitioner: defaultPartitioner,
  RoundRobinPartitioner: roundRobinPartitioner,
} as const;
