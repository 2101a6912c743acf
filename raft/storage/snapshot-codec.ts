/**
 * A snapshot file: a 16-byte header, then the payload (the state machine's bytes as given).
 *   0  u32 magic   "RKS1"
 *   4  u32 crc     CRC-32C of the payload
 *   8  u64 length  payload bytes
 * The length makes a short file detectable without trusting the CRC alone.
 */
import { crc32c } from '../../lib/crc32c.js';

export const SNAPSHOT_MAGIC = 0x524b_5331; // "RKS1"
export const SNAPSHOT_HEADER_BYTES = 16;
const TWO_POW_32 = 0x1_0000_0000;

export function encodeSnapshotHeader(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(SNAPSHOT_HEADER_BYTES);
  header.writeUInt32BE(SNAPSHOT_MAGIC, 0);
  header.writeUInt32BE(crc32c(payload), 4);
  header.writeUInt32BE(Math.floor(payload.byteLength / TWO_POW_32), 8);
  header.writeUInt32BE(payload.byteLength >>> 0, 12);
  return header;
}

export type SnapshotRead =
  | { readonly ok: true; readonly payload: Buffer }
  | { readonly ok: false; readonly detail: string };

/** Checks a whole snapshot file; the payload is a view into `file`. */
export function decodeSnapshotFile(file: Buffer): SnapshotRead {
  if (file.length < SNAPSHOT_HEADER_BYTES) {
    return { ok: false, detail: `only ${file.length} bytes` };
  }
  if (file.readUInt32BE(0) !== SNAPSHOT_MAGIC) return { ok: false, detail: 'bad magic' };
  const length = file.readUInt32BE(8) * TWO_POW_32 + file.readUInt32BE(12);
  if (length !== file.length - SNAPSHOT_HEADER_BYTES) {
    const actual = file.length - SNAPSHOT_HEADER_BYTES;
    return { ok: false, detail: `header says ${length} payload bytes, the file has ${actual}` };
  }
  const payload = file.subarray(SNAPSHOT_HEADER_BYTES);
  if (crc32c(payload) !== file.readUInt32BE(4)) return { ok: false, detail: 'CRC-32C mismatch' };
  return { ok: true, payload };
}
