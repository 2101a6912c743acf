/**
 * Kafka's key partitioner hash: murmur2 with seed 0x9747b28c, bit for bit as Java's
 * Utils.murmur2, so a keyed record lands on the same partition from raftka, the Java client and
 * KafkaJS's default (Java-compatible) partitioner. Math.imul gives the exact 32-bit wraparound
 * Java's int multiply has; plain `*` on doubles loses low bits (KafkaJS's legacy partitioner).
 * Keys are hashed as their serialized bytes (UTF-8 for string keys).
 */
import { assert } from '../../lib/assert.js';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Java's Utils.murmur2: a signed int32 hash of `data`. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  // Java's switch falls through from case 3 to case 1.
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's Utils.toPositive: clears the sign bit (not Math.abs, which overflows on int32 min). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/**
 * The partition for a keyed record, as Java's BuiltInPartitioner.partitionForKey:
 * toPositive(murmur2(key)) % numPartitions, over all partitions of the topic.
 */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  // A topic always has at least one partition; the caller read this count from metadata.
  assert(Number.isInteger(numPartitions) && numPartitions >= 1, 'numPartitions must be >= 1');
  return toPositive(murmur2(key)) % numPartitions;
}
