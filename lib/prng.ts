/**
 * A seeded pseudo-random number generator (xoshiro128**, seeded through splitmix32).
 * Code that must be reproducible (the Raft core, the simulator) takes one of these
 * instead of calling Math.random, so a run is replayed exactly from its seed.
 */
import { assert } from './assert.js';

export interface Prng {
  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number;
  /** A float in [0, 1). */
  nextFloat(): number;
  /** An integer in [lo, hi). */
  nextInt(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A generator with its own stream, derived from this one (for per-node streams). */
  fork(): Prng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export function createPrng(seed: number): Prng {
  assert(Number.isInteger(seed), `seed must be an integer, got ${seed}`);
  const init = splitmix32(seed);
  let s0 = init();
  let s1 = init();
  let s2 = init();
  let s3 = init();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // xoshiro's all-zero state is a fixed point.

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  const nextFloat = (): number => nextUint32() / 4294967296;
  return {
    nextUint32,
    nextFloat,
    nextInt(lo, hi) {
      assert(Number.isInteger(lo) && Number.isInteger(hi) && hi > lo, `bad range [${lo}, ${hi})`);
      return lo + Math.floor(nextFloat() * (hi - lo));
    },
    chance(p) {
      return nextFloat() < p;
    },
    fork() {
      return createPrng(nextUint32());
    },
  };
}
