/**
 * CRC-32C (Castagnoli), the checksum of Kafka's record batch v2 and of raftka's own log
 * batches. It runs on every produced, replicated and fetched batch, so it is computed natively
 * (@node-rs/crc32, which uses the CPU's CRC32 instructions): measured here at about 6 GB/s,
 * seven times the best table-driven JavaScript (slicing-by-8) this project had before.
 */
import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/** Continues a CRC-32C over `bytes`; pass the previous result as `crc` to checksum in pieces. */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  return nativeCrc32c(bytes, crc);
}
