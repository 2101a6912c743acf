/**
 * lib/: small shared pieces that every layer may import and that import nothing of ours:
 * an always-on assert (and `check`, its lazy-message form for hot paths), a seeded PRNG for
 * reproducible runs, CRC-32C, the cluster/directory UUID format Kafka uses, and the replaceable
 * clock (clock.ts: the wall clock and timers, with a manual twin for tests). No I/O lives here
 * except where a file name says so: connector.ts opens every outbound WebSocket and
 * ws-close.ts closes one without hanging.
 */
export { assert, unreachable, AssertionFailure } from './assert.js';
export { check } from './check.js';
export { createPrng, type Prng } from './prng.js';
export { ManualClock, systemClock, type Clock, type Timer } from './clock.js';
export { crc32c } from './crc32c.js';
export {
  randomUuid, uuidFromString, uuidToString, ZERO_UUID, ONE_UUID, METADATA_TOPIC_ID,
} from './uuid.js';
