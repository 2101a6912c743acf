/**
 * The frame format of log segments. Every append() writes one entries frame; truncateFrom()
 * inside a batch writes one truncation frame. All integers are big-endian.
 *
 *   offset size field
 *        0    4 length       bytes after this field
 *        4    4 crc          CRC-32C of every byte after this field
 *        8    1 magic        FRAME_MAGIC (format version)
 *        9    1 type         0 = entries, 1 = truncation
 *       10    4 prevCrc      crc of the frame before this one in the log (0 after a reset)
 *       14    8 baseOffset   offset of the first entry (truncation: the offset cut from)
 *       22    4 count        number of entries (truncation: 0)
 *       26      entries      count x (u32 epoch, u8 kind, u32 dataLength, data)
 *
 * prevCrc chains the frames into one sequence. Without it, a crash after an unsynced truncation
 * could bring back old frames that follow a newer one at a valid offset (the new write persisted,
 * the ftruncate did not), a log this node never had, which breaks Raft's Log Matching property.
 * With it, recovery stops at the first frame that does not continue the chain.
 */
import { assert } from '../../lib/assert.js';
import { crc32c } from '../../lib/crc32c.js';
import { EntryKind, type Epoch, type LogEntry, type Offset } from '../core/types.js';

export const FRAME_MAGIC = 1;
export const FrameType = { entries: 0, truncation: 1 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const FRAME_HEADER_BYTES = 26;
export const ENTRY_HEADER_BYTES = 9;
const LENGTH_FIELD_BYTES = 4;
/** The crc covers everything from the magic byte on. */
const CRC_START = 8;
const TWO_POW_32 = 0x1_0000_0000;
const KNOWN_KINDS: ReadonlySet<number> = new Set(Object.values(EntryKind));

export interface FrameHeader {
  readonly type: FrameType;
  readonly prevCrc: number;
  readonly baseOffset: Offset;
  readonly count: number;
  /** Bytes of the whole frame, length field included. */
  readonly frameBytes: number;
  readonly crc: number;
}

export type FrameRead =
  | { readonly ok: true; readonly header: FrameHeader }
  /** `incomplete`: the frame runs past the end of the file (a torn tail). */
  | { readonly ok: false; readonly problem: 'incomplete' | 'corrupt'; readonly detail: string };

export interface EncodedFrame {
  readonly bytes: Buffer;
  readonly crc: number;
}

export function entriesFrameBytes(entries: readonly LogEntry[]): number {
  let bytes = FRAME_HEADER_BYTES;
  for (const entry of entries) bytes += ENTRY_HEADER_BYTES + entry.data.byteLength;
  return bytes;
}

export function encodeEntriesFrame(prevCrc: number, entries: readonly LogEntry[]): EncodedFrame {
  const first = entries[0];
  assert(first !== undefined, 'an entries frame needs at least one entry');
  const bytes = Buffer.allocUnsafe(entriesFrameBytes(entries));
  writeHeader(bytes, FrameType.entries, prevCrc, first.offset, entries.length);
  let position = FRAME_HEADER_BYTES;
  for (const entry of entries) {
    bytes.writeUInt32BE(entry.epoch, position);
    bytes.writeUInt8(entry.kind, position + 4);
    bytes.writeUInt32BE(entry.data.byteLength, position + 5);
    bytes.set(entry.data, position + ENTRY_HEADER_BYTES);
    position += ENTRY_HEADER_BYTES + entry.data.byteLength;
  }
  return seal(bytes);
}

/** A frame saying: the entries at `offset` and after, in the batch before this frame, are void. */
export function encodeTruncationFrame(prevCrc: number, offset: Offset): EncodedFrame {
  const bytes = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  writeHeader(bytes, FrameType.truncation, prevCrc, offset, 0);
  return seal(bytes);
}

function writeHeader(
  bytes: Buffer,
  type: FrameType,
  prevCrc: number,
  baseOffset: Offset,
  count: number,
): void {
  assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, `bad base offset ${baseOffset}`);
  bytes.writeUInt32BE(bytes.length - LENGTH_FIELD_BYTES, 0);
  bytes.writeUInt8(FRAME_MAGIC, 8);
  bytes.writeUInt8(type, 9);
  bytes.writeUInt32BE(prevCrc >>> 0, 10);
  bytes.writeUInt32BE(Math.floor(baseOffset / TWO_POW_32), 14);
  bytes.writeUInt32BE(baseOffset >>> 0, 18);
  bytes.writeUInt32BE(count, 22);
}

function seal(bytes: Buffer): EncodedFrame {
  const crc = crc32c(bytes.subarray(CRC_START));
  bytes.writeUInt32BE(crc, 4);
  return { bytes, crc };
}

/**
 * Reads and checks the frame at `position`: length bounds and CRC are checked as data (a torn
 * or damaged frame is expected after a crash); a frame that passes the CRC but has an unknown
 * magic is refused loudly, since truncating it could destroy data written by a newer version.
 */
export function readFrame(bytes: Buffer, position: number, frameBytesMax: number): FrameRead {
  const available = bytes.length - position;
  if (available < LENGTH_FIELD_BYTES) {
    return { ok: false, problem: 'incomplete', detail: `${available} bytes left, no length field` };
  }
  const frameBytes = bytes.readUInt32BE(position) + LENGTH_FIELD_BYTES;
  if (frameBytes < FRAME_HEADER_BYTES || frameBytes > frameBytesMax) {
    return { ok: false, problem: 'corrupt', detail: `frame length ${frameBytes} out of bounds` };
  }
  if (frameBytes > available) {
    const detail = `frame of ${frameBytes} bytes, ${available} left`;
    return { ok: false, problem: 'incomplete', detail };
  }
  const crc = bytes.readUInt32BE(position + 4);
  if (crc32c(bytes.subarray(position + CRC_START, position + frameBytes)) !== crc) {
    return { ok: false, problem: 'corrupt', detail: 'CRC-32C mismatch' };
  }
  const magic = bytes.readUInt8(position + 8);
  if (magic !== FRAME_MAGIC) {
    throw new Error(
      `log frame at ${position} has format ${magic}; this build reads ${FRAME_MAGIC}`,
    );
  }
  const type = bytes.readUInt8(position + 9);
  assert(type === FrameType.entries || type === FrameType.truncation, `unknown frame type ${type}`);
  const high = bytes.readUInt32BE(position + 14);
  const baseOffset = high * TWO_POW_32 + bytes.readUInt32BE(position + 18);
  assert(Number.isSafeInteger(baseOffset), `frame base offset beyond 2^53 at ${position}`);
  const count = bytes.readUInt32BE(position + 22);
  assert(type === FrameType.entries ? count > 0 : count === 0, `bad entry count ${count}`);
  const prevCrc = bytes.readUInt32BE(position + 10);
  return { ok: true, header: { type, prevCrc, baseOffset, count, frameBytes, crc } };
}

/**
 * Decodes the entries of a checked entries frame. Entry data are views into `bytes`, not copies.
 * The CRC already passed, so a structural error here is a bug of the writer and asserts.
 */
export function decodeEntries(bytes: Buffer, position: number, header: FrameHeader): LogEntry[] {
  assert(header.type === FrameType.entries, 'decodeEntries on a truncation frame');
  const end = position + header.frameBytes;
  const entries: LogEntry[] = [];
  let cursor = position + FRAME_HEADER_BYTES;
  for (let i = 0; i < header.count; i++) {
    assert(cursor + ENTRY_HEADER_BYTES <= end, `entry ${i} header overruns its frame`);
    const epoch: Epoch = bytes.readUInt32BE(cursor);
    const kind = bytes.readUInt8(cursor + 4);
    const dataBytes = bytes.readUInt32BE(cursor + 5);
    const dataStart = cursor + ENTRY_HEADER_BYTES;
    assert(dataStart + dataBytes <= end, `entry ${i} data overruns its frame`);
    assert(KNOWN_KINDS.has(kind), `unknown entry kind ${kind}`);
    const data = bytes.subarray(dataStart, dataStart + dataBytes);
    entries.push({ offset: header.baseOffset + i, epoch, kind: kind as EntryKind, data });
    cursor = dataStart + dataBytes;
  }
  assert(cursor === end, `frame has ${end - cursor} bytes after its last entry`);
  return entries;
}
