/**
 * The fixed 61-byte header of a Kafka record batch, magic v2 (KIP-98), read and checked in place.
 *
 * Batches are bytes end to end: the producer encodes a batch once, the broker checks it here
 * (size, magic, CRC-32C), stamps its base offset and leader epoch, and stores and serves the same
 * bytes. So everything in this file works on a view over the caller's bytes (often a Buffer slice
 * of a larger pool) and never copies.
 *
 * Layout, big endian:
 *   @0  baseOffset int64             @27 baseTimestamp int64
 *   @8  batchLength int32            @35 maxTimestamp int64
 *   @12 partitionLeaderEpoch int32   @43 producerId int64
 *   @16 magic int8 (= 2)             @51 producerEpoch int16
 *   @17 crc uint32                   @53 baseSequence int32
 *   @21 attributes int16             @57 recordCount int32
 *   @23 lastOffsetDelta int32        @61 records
 * batchLength counts the bytes after itself; the CRC-32C covers attributes to the end of the
 * batch, so baseOffset and partitionLeaderEpoch can be rewritten without re-checksumming.
 */
import { crc32c } from '../../lib/crc32c.js';

export const BATCH_HEADER_BYTES = 61;
/** baseOffset + batchLength: the bytes in front of what batchLength counts. */
export const LOG_OVERHEAD = 12;
export const MAGIC_V2 = 2;
/** batchLength of a batch with no record bytes (61 - LOG_OVERHEAD). */
export const BATCH_LENGTH_MIN = BATCH_HEADER_BYTES - LOG_OVERHEAD;
/** The first byte the CRC covers (attributes). */
export const CRC_START = 21;

export const Offsets = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
} as const;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCodec = (typeof Compression)[keyof typeof Compression];
export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Bits of the attributes field. */
export const Attributes = {
  compressionMask: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
} as const;

export interface BatchHeader {
  baseOffset: number;
  /** Bytes after this field: the batch occupies LOG_OVERHEAD + batchLength bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** Unsigned CRC-32C of the bytes from attributes to the end of the batch. */
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** A DataView over exactly the caller's bytes, sharing their buffer. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads an int64 as a JS number from two int32 halves (no BigInt on the hot path).
 * Exact for |value| <= 2^53, which covers offsets, timestamps and producer ids in practice.
 */
export function readInt64(view: DataView, at: number): number {
  return view.getInt32(at) * 4294967296 + view.getUint32(at + 4);
}

export function writeInt64(view: DataView, at: number, value: number): void {
  const high = Math.floor(value / 4294967296);
  view.setInt32(at, high);
  view.setUint32(at + 4, value - high * 4294967296);
}

/** Reads the header at `at` without validation; the caller has ensured 61 bytes are there. */
export function readBatchHeader(bytes: Uint8Array, at = 0): BatchHeader {
  const view = viewOf(bytes);
  return {
    baseOffset: readInt64(view, at),
    batchLength: view.getInt32(at + 8),
    partitionLeaderEpoch: view.getInt32(at + 12),
    magic: view.getInt8(at + 16),
    crc: view.getUint32(at + 17),
    attributes: view.getInt16(at + 21),
    lastOffsetDelta: view.getInt32(at + 23),
    baseTimestamp: readInt64(view, at + 27),
    maxTimestamp: readInt64(view, at + 35),
    producerId: readInt64(view, at + 43),
    producerEpoch: view.getInt16(at + 51),
    baseSequence: view.getInt32(at + 53),
    recordCount: view.getInt32(at + 57),
  };
}

/** The size of the batch at `at` (LOG_OVERHEAD + batchLength); -1 if under 12 bytes remain. */
export function batchBytesAt(bytes: Uint8Array, at = 0): number {
  if (bytes.length - at < LOG_OVERHEAD) return -1;
  return LOG_OVERHEAD + viewOf(bytes).getInt32(at + 8);
}

export function lastOffsetOf(h: BatchHeader): number {
  return h.baseOffset + h.lastOffsetDelta;
}

export function compressionOf(h: BatchHeader): number {
  return h.attributes & Attributes.compressionMask;
}

export function isLogAppendTime(h: BatchHeader): boolean {
  return (h.attributes & Attributes.logAppendTime) !== 0;
}

export function isTransactional(h: BatchHeader): boolean {
  return (h.attributes & Attributes.transactional) !== 0;
}

export function isControl(h: BatchHeader): boolean {
  return (h.attributes & Attributes.control) !== 0;
}

export type BatchCheck =
  | { ok: true; header: BatchHeader; size: number }
  | { ok: false; reason: 'truncated' | 'corrupt'; message: string };

export interface CheckBatchOptions {
  /** A batch larger than this (LOG_OVERHEAD included) is 'corrupt' (Kafka: RECORD_TOO_LARGE). */
  maxBatchBytes?: number;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

function corrupt(message: string): BatchCheck {
  return { ok: false, reason: 'corrupt', message };
}

/**
 * Checks the batch at `at` the way a broker must before appending it: whole, magic 2, CRC-32C
 * intact, at least one record, consistent offsets and a known codec. A batch that is not all
 * there yet is 'truncated' (read more); anything else wrong is 'corrupt' (reject it).
 * The size limit is checked before the CRC so that an oversized batch is never checksummed.
 */
export function checkBatch(
  bytes: Uint8Array, at = 0, options?: CheckBatchOptions,
): BatchCheck {
  const available = bytes.length - at;
  if (available < BATCH_HEADER_BYTES) {
    return {
      ok: false, reason: 'truncated',
      message: `header: need ${BATCH_HEADER_BYTES} bytes, found ${Math.max(available, 0)}`,
    };
  }
  const header = readBatchHeader(bytes, at);
  if (header.batchLength < BATCH_LENGTH_MIN) {
    const found = header.batchLength;
    return corrupt(`batchLength: expected at least ${BATCH_LENGTH_MIN}, found ${found}`);
  }
  const size = LOG_OVERHEAD + header.batchLength;
  const maxBatchBytes = options?.maxBatchBytes;
  if (maxBatchBytes !== undefined && size > maxBatchBytes) {
    return corrupt(`batchLength: batch of ${size} bytes exceeds the maximum of ${maxBatchBytes}`);
  }
  if (available < size) {
    return {
      ok: false, reason: 'truncated',
      message: `batchLength: batch needs ${size} bytes, found ${available}`,
    };
  }
  if (header.magic !== MAGIC_V2) {
    return corrupt(`magic: expected ${MAGIC_V2}, found ${header.magic}`);
  }
  const computed = crc32c(bytes.subarray(at + CRC_START, at + size));
  if (computed !== header.crc) {
    return corrupt(`crc: expected ${hex(header.crc)}, found ${hex(computed)}`);
  }
  return checkFields(header, size);
}

/** The field rules that follow a good CRC (the bytes are as the producer wrote them). */
function checkFields(header: BatchHeader, size: number): BatchCheck {
  // Kafka rejects empty batches from producers (LogValidator: "Compressed outer record has no
  // inner records" / INVALID_RECORD); only the log cleaner leaves empty batches behind.
  if (header.recordCount < 1) {
    return corrupt(`recordCount: expected at least 1, found ${header.recordCount}`);
  }
  if (header.lastOffsetDelta < 0) {
    return corrupt(`lastOffsetDelta: expected at least 0, found ${header.lastOffsetDelta}`);
  }
  const codec = compressionOf(header);
  if (codec > Compression.zstd) {
    return corrupt(`attributes: unknown compression codec ${codec}`);
  }
  if (codec === Compression.none && header.lastOffsetDelta !== header.recordCount - 1) {
    return corrupt(
      `lastOffsetDelta: expected ${header.recordCount - 1} for ${header.recordCount} records, ` +
      `found ${header.lastOffsetDelta}`,
    );
  }
  return { ok: true, header, size };
}

/**
 * Sets the broker-assigned baseOffset and partitionLeaderEpoch in place. Both lie before the
 * CRC-covered range, so the checksum stays valid.
 */
export function stampBatch(
  bytes: Uint8Array, at: number, baseOffset: number, partitionLeaderEpoch: number,
): void {
  const view = viewOf(bytes);
  writeInt64(view, at + Offsets.baseOffset, baseOffset);
  view.setInt32(at + Offsets.partitionLeaderEpoch, partitionLeaderEpoch);
}

/**
 * Walks concatenated whole batches (a log segment slice, a fetch response's records), stopping at
 * a partial tail as Kafka's fetch path allows. It reads headers only; use checkBatch to validate.
 * A batchLength too small for a header also ends the walk, since nothing after it can be framed.
 */
export function* batchesIn(
  bytes: Uint8Array,
): Generator<{ at: number; size: number; header: BatchHeader }> {
  let at = 0;
  while (bytes.length - at >= BATCH_HEADER_BYTES) {
    const size = batchBytesAt(bytes, at);
    if (size < BATCH_HEADER_BYTES || at + size > bytes.length) return;
    yield { at, size, header: readBatchHeader(bytes, at) };
    at += size;
  }
}
