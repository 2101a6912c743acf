/**
 * An immutable hash map with structural sharing (a hash array mapped trie, as Kafka's images
 * use through pcollections). `set` and `delete` copy only the path from the root to the
 * changed leaf, at most seven nodes of up to 32 slots, so an image with 100,000 topics is
 * updated in microseconds while earlier images stay valid and unchanged.
 *
 * Keys are strings or numbers compared with ===. Iteration order follows the hashes: it is
 * deterministic for a given set of keys but not insertion order; sort where order matters.
 */
import { assert } from '../../lib/assert.js';

const BITS = 5;
const MASK = 31;

type Key = string | number;

class Leaf<K extends Key, V> {
  constructor(readonly hash: number, readonly key: K, readonly value: V) {}
}
/** Keys whose 32-bit hashes are equal. Invariant: at least two leaves, all with `hash`. */
class Collision<K extends Key, V> {
  constructor(readonly hash: number, readonly leaves: readonly Leaf<K, V>[]) {}
}
/** Invariant: children.length === popcount(bitmap), in slot order. */
class Branch<K extends Key, V> {
  constructor(readonly bitmap: number, readonly children: readonly Node<K, V>[]) {}
}
type Node<K extends Key, V> = Leaf<K, V> | Collision<K, V> | Branch<K, V>;

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function mix(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/** FNV-1a over UTF-16 code units, then murmur3's finalizer; integers are mixed directly. */
export function hashKey(key: Key): number {
  if (typeof key === 'number') return mix(key | 0);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mix(h);
}

function slot(hash: number, shift: number): number {
  return 1 << ((hash >>> shift) & MASK);
}

function withInserted<T>(items: readonly T[], index: number, item: T): T[] {
  const out = items.slice(0, index);
  out.push(item);
  for (let i = index; i < items.length; i++) out.push(items[i]!);
  return out;
}

function withReplaced<T>(items: readonly T[], index: number, item: T): T[] {
  const out = items.slice();
  out[index] = item;
  return out;
}

function withRemoved<T>(items: readonly T[], index: number): T[] {
  const out = items.slice(0, index);
  for (let i = index + 1; i < items.length; i++) out.push(items[i]!);
  return out;
}

/** Two nodes with different hashes that land in the same slot at the level above `shift`. */
function join<K extends Key, V>(
  a: Leaf<K, V> | Collision<K, V>, b: Leaf<K, V>, shift: number,
): Branch<K, V> {
  assert(a.hash !== b.hash && shift <= 30, 'join needs different hashes');
  const aBit = slot(a.hash, shift);
  const bBit = slot(b.hash, shift);
  if (aBit === bBit) return new Branch(aBit, [join(a, b, shift + BITS)]);
  // Unsigned comparison: slot 31 is the sign bit.
  return new Branch(aBit | bBit, aBit >>> 0 < bBit >>> 0 ? [a, b] : [b, a]);
}

interface Change {
  sizeDelta: number;
}

function insert<K extends Key, V>(
  node: Node<K, V>, shift: number, leaf: Leaf<K, V>, change: Change,
): Node<K, V> {
  if (node instanceof Branch) {
    const bit = slot(leaf.hash, shift);
    const index = popcount(node.bitmap & (bit - 1));
    if ((node.bitmap & bit) === 0) {
      change.sizeDelta = 1;
      return new Branch(node.bitmap | bit, withInserted(node.children, index, leaf));
    }
    const child = node.children[index]!;
    const updated = insert(child, shift + BITS, leaf, change);
    if (updated === child) return node;
    return new Branch(node.bitmap, withReplaced(node.children, index, updated));
  }
  if (node instanceof Leaf) {
    if (node.key === leaf.key) return node.value === leaf.value ? node : leaf;
    change.sizeDelta = 1;
    if (node.hash === leaf.hash) return new Collision(node.hash, [node, leaf]);
    return join(node, leaf, shift);
  }
  if (node.hash !== leaf.hash) {
    change.sizeDelta = 1;
    return join(node, leaf, shift);
  }
  const index = node.leaves.findIndex((l) => l.key === leaf.key);
  if (index < 0) {
    change.sizeDelta = 1;
    return new Collision(node.hash, [...node.leaves, leaf]);
  }
  if (node.leaves[index]!.value === leaf.value) return node;
  return new Collision(node.hash, withReplaced(node.leaves, index, leaf));
}

function remove<K extends Key, V>(
  node: Node<K, V>, shift: number, hash: number, key: K, change: Change,
): Node<K, V> | undefined {
  if (node instanceof Leaf) {
    if (node.key !== key) return node;
    change.sizeDelta = -1;
    return undefined;
  }
  if (node instanceof Collision) {
    const index = node.hash === hash ? node.leaves.findIndex((l) => l.key === key) : -1;
    if (index < 0) return node;
    change.sizeDelta = -1;
    if (node.leaves.length === 2) return node.leaves[1 - index];
    return new Collision(node.hash, withRemoved(node.leaves, index));
  }
  const bit = slot(hash, shift);
  if ((node.bitmap & bit) === 0) return node;
  const index = popcount(node.bitmap & (bit - 1));
  const child = node.children[index]!;
  const updated = remove(child, shift + BITS, hash, key, change);
  if (updated === child) return node;
  // Below the root a branch left with one leaf or collision hands it up, so that the trie
  // stays as shallow as if the removed key had never been there.
  if (updated === undefined) {
    if (shift > 0 && node.children.length === 2) {
      const other = node.children[1 - index]!;
      if (!(other instanceof Branch)) return other;
    }
    if (shift > 0 && node.children.length === 1) return undefined;
    return new Branch(node.bitmap & ~bit, withRemoved(node.children, index));
  }
  if (shift > 0 && node.children.length === 1 && !(updated instanceof Branch)) return updated;
  return new Branch(node.bitmap, withReplaced(node.children, index, updated));
}

/** Depth-first over the leaves with an explicit stack (one generator, not one per node). */
function* walk<K extends Key, V>(root: Node<K, V>): Generator<Leaf<K, V>> {
  const nodes: Node<K, V>[] = [root];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes[nodes.length - 1]!;
    if (node instanceof Leaf) {
      nodes.pop();
      next.pop();
      yield node;
    } else if (node instanceof Collision) {
      nodes.pop();
      next.pop();
      yield* node.leaves;
    } else {
      const index = next[next.length - 1]!;
      if (index === node.children.length) {
        nodes.pop();
        next.pop();
      } else {
        next[next.length - 1] = index + 1;
        nodes.push(node.children[index]!);
        next.push(0);
      }
    }
  }
}

export class PersistentMap<K extends Key, V> implements ReadonlyMap<K, V> {
  static readonly #EMPTY = new PersistentMap<never, never>(new Branch(0, []), 0);

  static empty<K extends Key, V>(): PersistentMap<K, V> {
    return PersistentMap.#EMPTY as unknown as PersistentMap<K, V>;
  }

  static from<K extends Key, V>(entries: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    let map = PersistentMap.empty<K, V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  readonly #root: Branch<K, V>;
  readonly size: number;

  private constructor(root: Branch<K, V>, size: number) {
    this.#root = root;
    this.size = size;
  }

  get(key: K): V | undefined {
    const hash = hashKey(key);
    let node: Node<K, V> = this.#root;
    for (let shift = 0; ; shift += BITS) {
      if (node instanceof Branch) {
        const bit = slot(hash, shift);
        if ((node.bitmap & bit) === 0) return undefined;
        node = node.children[popcount(node.bitmap & (bit - 1))]!;
      } else if (node instanceof Leaf) {
        return node.key === key ? node.value : undefined;
      } else {
        if (node.hash !== hash) return undefined;
        return node.leaves.find((l) => l.key === key)?.value;
      }
    }
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** A map with `key` set; this map when the value is already there (===). */
  set(key: K, value: V): PersistentMap<K, V> {
    assert(value !== undefined, 'a PersistentMap holds no undefined values');
    const change: Change = { sizeDelta: 0 };
    const root = insert(this.#root, 0, new Leaf(hashKey(key), key, value), change);
    if (root === this.#root) return this;
    return new PersistentMap(root as Branch<K, V>, this.size + change.sizeDelta);
  }

  /** A map without `key`; this map when it is absent. */
  delete(key: K): PersistentMap<K, V> {
    const change: Change = { sizeDelta: 0 };
    const root = remove(this.#root, 0, hashKey(key), key, change);
    if (root === this.#root) return this;
    return new PersistentMap(root as Branch<K, V>, this.size + change.sizeDelta);
  }

  *entries(): MapIterator<[K, V]> {
    for (const leaf of walk(this.#root)) yield [leaf.key, leaf.value];
  }

  *keys(): MapIterator<K> {
    for (const leaf of walk(this.#root)) yield leaf.key;
  }

  *values(): MapIterator<V> {
    for (const leaf of walk(this.#root)) yield leaf.value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const leaf of walk(this.#root)) callback(leaf.value, leaf.key, this);
  }
}
