/**
 * The segment frame: round trips, and every single-bit flip is caught (CRC-32C) rather than read.
 */
import t from 'tap';
import { crc32c } from '../../../lib/crc32c.js';
import {
  decodeEntries,
  encodeEntriesFrame,
  encodeTruncationFrame,
  entriesFrameBytes,
  FRAME_HEADER_BYTES,
  FrameType,
  readFrame,
} from '../../../raft/storage/batch-codec.js';
import { BATCH_BYTES_CEILING } from '../../../raft/storage/limits.js';
import { describe, makeEntries } from './fixtures/helpers.js';

t.test('an entries frame round-trips with its chain link', async (t) => {
  const entries = [...makeEntries(2 ** 40, 3, 7), ...makeEntries(2 ** 40 + 3, 1, 9, 0)];
  const frame = encodeEntriesFrame(0xdeadbeef, entries);
  t.equal(frame.bytes.length, entriesFrameBytes(entries));
  const read = readFrame(frame.bytes, 0, BATCH_BYTES_CEILING);
  if (!read.ok) throw new Error(read.detail);
  t.same(read.header, {
    type: FrameType.entries,
    prevCrc: 0xdeadbeef,
    baseOffset: 2 ** 40,
    count: 4,
    frameBytes: frame.bytes.length,
    crc: frame.crc,
  });
  t.same(describe(decodeEntries(frame.bytes, 0, read.header)), describe(entries));
});

t.test('a truncation frame is a bare header', async (t) => {
  const frame = encodeTruncationFrame(42, 17);
  t.equal(frame.bytes.length, FRAME_HEADER_BYTES);
  const read = readFrame(frame.bytes, 0, BATCH_BYTES_CEILING);
  t.ok(read.ok && read.header.type === FrameType.truncation && read.header.baseOffset === 17);
});

t.test('every single-bit flip is reported, never decoded', async (t) => {
  const frame = encodeEntriesFrame(1, makeEntries(0, 2, 1, 5));
  for (let bit = 0; bit < frame.bytes.length * 8; bit++) {
    const bytes = Buffer.from(frame.bytes);
    bytes[bit >> 3]! ^= 1 << (bit & 7);
    const read = readFrame(bytes, 0, BATCH_BYTES_CEILING);
    if (read.ok) t.fail(`bit ${bit} flipped unnoticed`);
  }
  t.pass('all flips caught');
});

t.test('a short buffer is an incomplete frame, a bad length a corrupt one', async (t) => {
  const frame = encodeEntriesFrame(1, makeEntries(0, 1, 1));
  const incomplete = { ok: false, problem: 'incomplete' };
  t.match(readFrame(frame.bytes.subarray(0, 3), 0, BATCH_BYTES_CEILING), incomplete);
  t.match(readFrame(frame.bytes.subarray(0, 30), 0, BATCH_BYTES_CEILING), incomplete);
  t.match(readFrame(frame.bytes, 0, 20), { ok: false, problem: 'corrupt' });
  t.match(readFrame(Buffer.alloc(64), 0, BATCH_BYTES_CEILING), { ok: false, problem: 'corrupt' });
});

t.test('a CRC-valid frame of an unknown format version is refused, not truncated', async (t) => {
  const bytes = Buffer.from(encodeEntriesFrame(1, makeEntries(0, 1, 1)).bytes);
  bytes[8] = 2;
  bytes.writeUInt32BE(crc32c(bytes.subarray(8)), 4);
  t.throws(() => readFrame(bytes, 0, BATCH_BYTES_CEILING), /has format 2/);
});
