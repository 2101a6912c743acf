/**
 * Kafka's variable-length integers, as used inside v2 records (KIP-98): zigzag-encoded signed
 * values in base-128 groups, least significant first, high bit set on every byte but the last
 * (the Protocol Buffers encoding). A varint holds an int32 in at most 5 bytes; a varlong holds an
 * int64 in at most 10 (Kafka's ByteUtils.writeVarint / writeVarlong).
 *
 * Varlongs are JS numbers here. Encoding splits them into 32-bit halves, so every safe integer
 * (|n| <= 2^53 - 1) encodes exactly; decoding a value outside that range throws rather than
 * silently rounding. Readers advance a caller-owned cursor instead of returning pairs, so the
 * record decoder allocates nothing per field.
 */
import { RecordBatchError } from './errors.js';

export const VARINT_BYTES_MAX = 5;
export const VARLONG_BYTES_MAX = 10;

/** A read position that readers advance past what they consume. */
export interface Cursor {
  at: number;
}

const TWO_POW_32 = 4294967296;

function isInt32(value: number): boolean {
  return (value | 0) === value;
}

/** Bytes writeVarint will use for `value` (an int32). */
export function sizeOfVarint(value: number): number {
  let z = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (z > 0x7f) {
    z >>>= 7;
    size++;
  }
  return size;
}

/** Writes `value` (an int32) as a zigzag varint at `at`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  if (!isInt32(value)) throw new RangeError(`varint: ${value} is not an int32`);
  let z = ((value << 1) ^ (value >> 31)) >>> 0;
  while (z > 0x7f) {
    bytes[at++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  bytes[at++] = z;
  return at;
}

/** Reads a zigzag varint (an int32); throws RecordBatchError naming `field` if it is malformed. */
export function readVarint(bytes: Uint8Array, cursor: Cursor, field = 'varint'): number {
  let at = cursor.at;
  let z = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= bytes.length) throw new RecordBatchError(`${field}: varint runs past the end`);
    const b = bytes[at++]!;
    if (shift === 28 && b > 0x0f) {
      throw new RecordBatchError(`${field}: varint does not fit in 32 bits`);
    }
    z |= (b & 0x7f) << shift;
    if (b < 0x80) {
      cursor.at = at;
      return (z >>> 1) ^ -(z & 1);
    }
  }
  throw new RecordBatchError(`${field}: varint is longer than ${VARINT_BYTES_MAX} bytes`);
}

/** Splits a safe integer into its zigzag-encoded 64-bit halves [low, high], both unsigned. */
function zigzag64(value: number): [number, number] {
  if (!Number.isSafeInteger(value)) throw new RangeError(`varlong: ${value} is not a safe integer`);
  const high = Math.floor(value / TWO_POW_32) | 0;
  const low = (value - Math.floor(value / TWO_POW_32) * TWO_POW_32) >>> 0;
  const sign = high >> 31;
  return [((low << 1) ^ sign) >>> 0, (((high << 1) | (low >>> 31)) ^ sign) >>> 0];
}

/** Bytes writeVarlong will use for `value` (a safe integer). */
export function sizeOfVarlong(value: number): number {
  if (isInt32(value)) return sizeOfVarint(value);
  let [low, high] = zigzag64(value);
  let size = 1;
  while (high !== 0 || low > 0x7f) {
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
    size++;
  }
  return size;
}

/** Writes `value` (a safe integer) as a zigzag varlong at `at`; returns the position after it. */
export function writeVarlong(bytes: Uint8Array, at: number, value: number): number {
  // An int32 zigzags to the same bytes either way, and most timestamp deltas are small.
  if (isInt32(value)) return writeVarint(bytes, at, value);
  let [low, high] = zigzag64(value);
  while (high !== 0 || low > 0x7f) {
    bytes[at++] = (low & 0x7f) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  bytes[at++] = low;
  return at;
}

/**
 * Reads a zigzag varlong; throws RecordBatchError naming `field` if it is malformed or its value
 * is not a safe integer.
 */
export function readVarlong(bytes: Uint8Array, cursor: Cursor, field = 'varlong'): number {
  let at = cursor.at;
  let low = 0;
  let high = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (at >= bytes.length) throw new RecordBatchError(`${field}: varlong runs past the end`);
    const b = bytes[at++]!;
    const bits = b & 0x7f;
    if (shift < 28) {
      low |= bits << shift;
    } else if (shift === 28) {
      low |= bits << 28;
      high |= bits >>> 4;
    } else if (shift < 63) {
      high |= bits << (shift - 32);
    } else if (bits > 1) {
      throw new RecordBatchError(`${field}: varlong does not fit in 64 bits`);
    } else {
      high |= bits << 31;
    }
    if (b < 0x80) {
      cursor.at = at;
      return unzigzag64(low >>> 0, high >>> 0, field);
    }
  }
  throw new RecordBatchError(`${field}: varlong is longer than ${VARLONG_BYTES_MAX} bytes`);
}

function unzigzag64(low: number, high: number, field: string): number {
  const sign = -(low & 1);
  const valueLow = (((low >>> 1) | (high << 31)) ^ sign) >>> 0;
  const valueHigh = ((high >>> 1) ^ sign) | 0;
  const value = valueHigh * TWO_POW_32 + valueLow;
  if (!Number.isSafeInteger(value)) {
    throw new RecordBatchError(`${field}: varlong ${valueHigh}:${valueLow} is not a safe integer`);
  }
  return value;
}
