import t from 'tap';
import { crc32c } from '../../../lib/crc32c.js';
import {
  BATCH_HEADER_BYTES, Compression, LOG_OVERHEAD, MAGIC_V2, batchBytesAt, batchesIn, checkBatch,
  encodeRecordBatch, lastOffsetOf, readBatchHeader, stampBatch, type ProducerRecord,
} from '../../../protocol/records/index.js';
import { KAFKA_BATCHES } from './fixtures/kafka-batches.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

function records(count: number, timestampMs = 1_700_000_000_000): ProducerRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: utf8(`k${i}`), value: utf8(`value ${i}`), timestampMs: timestampMs + i,
  }));
}

/** Rewrites the CRC after a deliberate edit, so a test can reach the checks that follow it. */
function recrc(batch: Uint8Array): void {
  const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  view.setUint32(17, crc32c(batch.subarray(21)));
}

t.test('a Kafka-written batch passes checkBatch and reads as Kafka wrote it', async (t) => {
  const fixture = KAFKA_BATCHES[1]!;
  const bytes = Buffer.from(fixture.hex, 'hex');
  const check = checkBatch(bytes);
  t.ok(check.ok, 'valid');
  if (!check.ok) return;
  t.equal(check.size, bytes.length);
  t.same(check.header, {
    baseOffset: 1, batchLength: 64, partitionLeaderEpoch: 2, magic: 2, crc: 0xc85cbd23,
    attributes: 0, lastOffsetDelta: 1, baseTimestamp: 1503229959532,
    maxTimestamp: 1503229959700, producerId: -1, producerEpoch: -1, baseSequence: -1,
    recordCount: 2,
  });
  t.equal(lastOffsetOf(check.header), 2);
  for (const { what, hex } of KAFKA_BATCHES) t.ok(checkBatch(Buffer.from(hex, 'hex')).ok, what);
});

t.test('the header is read in place from a slice of a larger buffer', async (t) => {
  const batch = encodeRecordBatch(records(3));
  const pool = Buffer.alloc(batch.length + 100);
  pool.set(batch, 37);
  const slice = pool.subarray(37, 37 + batch.length);
  t.same(readBatchHeader(slice), readBatchHeader(batch));
  t.same(readBatchHeader(pool, 37), readBatchHeader(batch));
  t.ok(checkBatch(pool, 37).ok, 'checked at an offset');
  t.equal(batchBytesAt(slice), batch.length);
});

t.test('batchBytesAt is LOG_OVERHEAD + batchLength, or -1 with under 12 bytes', async (t) => {
  const batch = encodeRecordBatch(records(2));
  t.equal(batchBytesAt(batch), LOG_OVERHEAD + readBatchHeader(batch).batchLength);
  t.equal(batchBytesAt(batch), batch.length);
  t.equal(batchBytesAt(batch.subarray(0, 12)), batch.length, '12 bytes are enough');
  t.equal(batchBytesAt(batch.subarray(0, 11)), -1);
  t.equal(batchBytesAt(batch, batch.length - 5), -1);
});

t.test('a flipped byte anywhere in the CRC-covered range is corrupt, naming the crc', async (t) => {
  const batch = encodeRecordBatch(records(3));
  for (const at of [21, 22, 30, 60, 61, batch.length - 1]) {
    const copy = Uint8Array.from(batch);
    copy[at]! ^= 0x01;
    const check = checkBatch(copy);
    const message = /^crc: expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}$/;
    t.match(check, { ok: false, reason: 'corrupt', message }, `byte ${at}`);
  }
});

t.test('a batch cut short is truncated, not corrupt', async (t) => {
  const batch = encodeRecordBatch(records(3));
  for (const length of [0, 11, 60, 61, batch.length - 1]) {
    const check = checkBatch(batch.subarray(0, length));
    t.match(check, { ok: false, reason: 'truncated' }, `${length} bytes`);
  }
  t.match(checkBatch(batch.subarray(0, 40)), { message: 'header: need 61 bytes, found 40' });
  t.match(checkBatch(batch.subarray(0, batch.length - 1)),
    { message: `batchLength: batch needs ${batch.length} bytes, found ${batch.length - 1}` });
});

t.test('checkBatch names the field for each corrupt header', async (t) => {
  const cases: [string, (view: DataView) => void, RegExp][] = [
    ['a wrong magic', (v) => v.setInt8(16, 1), /^magic: expected 2, found 1$/],
    ['a batchLength under the header', (v) => v.setInt32(8, 48),
      /^batchLength: expected at least 49, found 48$/],
    ['no records', (v) => v.setInt32(57, 0), /^recordCount: expected at least 1, found 0$/],
    ['a negative lastOffsetDelta', (v) => v.setInt32(23, -1),
      /^lastOffsetDelta: expected at least 0/],
    ['lastOffsetDelta disagreeing with recordCount', (v) => v.setInt32(23, 5),
      /^lastOffsetDelta: expected 2 for 3 records, found 5$/],
    ['an unknown codec', (v) => v.setInt16(21, 5), /^attributes: unknown compression codec 5$/],
  ];
  for (const [what, edit, message] of cases) {
    const batch = encodeRecordBatch(records(3));
    edit(new DataView(batch.buffer, batch.byteOffset, batch.byteLength));
    recrc(batch);
    t.match(checkBatch(batch), { ok: false, reason: 'corrupt', message }, what);
  }
});

t.test('a wrong magic is reported before the CRC is computed', async (t) => {
  const batch = encodeRecordBatch(records(1));
  batch[16] = 1; // Magic is outside the CRC range, so this CRC is still "valid".
  batch[30]! ^= 0xff; // And this one is not; the magic must win.
  t.match(checkBatch(batch), { ok: false, reason: 'corrupt', message: /^magic:/ });
});

t.test('compressed batches may have lastOffsetDelta != recordCount - 1 (compaction)', async (t) => {
  const batch = encodeRecordBatch(records(3), { compression: 'gzip' });
  const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  view.setInt32(23, 7);
  recrc(batch);
  t.ok(checkBatch(batch).ok);
  t.equal(readBatchHeader(batch).attributes & 7, Compression.gzip);
});

t.test('a batch over maxBatchBytes is corrupt even before it has fully arrived', async (t) => {
  const batch = encodeRecordBatch(records(10));
  t.ok(checkBatch(batch, 0, { maxBatchBytes: batch.length }).ok, 'exactly at the limit');
  t.match(checkBatch(batch, 0, { maxBatchBytes: batch.length - 1 }),
    { ok: false, reason: 'corrupt', message: /^batchLength: batch of \d+ bytes exceeds/ });
  t.match(checkBatch(batch.subarray(0, 70), 0, { maxBatchBytes: 100 }),
    { ok: false, reason: 'corrupt' }, 'oversized, so no point waiting for the rest');
});

t.test('stampBatch sets baseOffset and leader epoch and leaves the CRC valid', async (t) => {
  const batch = encodeRecordBatch(records(4));
  const before = readBatchHeader(batch);
  t.equal(before.baseOffset, 0, 'the producer leaves baseOffset 0');
  t.equal(before.partitionLeaderEpoch, -1, 'and the epoch -1');
  const big = 2 ** 40 + 12345;
  stampBatch(batch, 0, big, 17);
  const check = checkBatch(batch);
  t.ok(check.ok, 'CRC still matches');
  if (!check.ok) return;
  t.equal(check.header.baseOffset, big);
  t.equal(check.header.partitionLeaderEpoch, 17);
  t.equal(check.header.crc, before.crc, 'the CRC bytes are untouched');
  t.equal(lastOffsetOf(check.header), big + 3);
});

t.test('stamping a Kafka-written batch with its own offset and epoch reproduces it', async (t) => {
  for (const fixture of KAFKA_BATCHES) {
    const bytes = Buffer.from(fixture.hex, 'hex');
    stampBatch(bytes, 0, 999, 9);
    stampBatch(bytes, 0, fixture.baseOffset, fixture.partitionLeaderEpoch);
    t.equal(bytes.toString('hex'), fixture.hex, fixture.what);
  }
});

t.test('batchesIn walks concatenated batches and stops at a partial tail', async (t) => {
  const batches = [encodeRecordBatch(records(1)), encodeRecordBatch(records(5)),
    encodeRecordBatch(records(2), { compression: 'gzip' })];
  batches.forEach((b, i) => stampBatch(b, 0, i * 10, 1));
  const third = batches[2]!;
  const log = Buffer.concat([...batches, third.subarray(0, third.length - 3)]);
  const seen = [...batchesIn(log)];
  t.same(seen.map((b) => b.at), [0, batches[0]!.length, batches[0]!.length + batches[1]!.length]);
  t.same(seen.map((b) => b.size), batches.map((b) => b.length));
  t.same(seen.map((b) => b.header.baseOffset), [0, 10, 20]);
  t.same(seen.map((b) => b.header.recordCount), [1, 5, 2]);
  for (const b of seen) t.ok(checkBatch(log, b.at).ok, `batch at ${b.at} checks`);

  const kafkaLog = Buffer.concat([...KAFKA_BATCHES.map((f) => Buffer.from(f.hex, 'hex')),
    Buffer.alloc(4)]);
  t.same([...batchesIn(kafkaLog)].map((b) => b.header.baseOffset), [0, 1, 3, 0],
    'Kafka\'s batches, with 4 trailing bytes ignored');
  t.same([...batchesIn(new Uint8Array(0))], [], 'nothing in nothing');
  t.same([...batchesIn(log.subarray(0, BATCH_HEADER_BYTES - 1))], [], 'under one header');
});

t.test('the header constants match the v2 layout', async (t) => {
  t.equal(BATCH_HEADER_BYTES, 61);
  t.equal(LOG_OVERHEAD, 12);
  t.equal(MAGIC_V2, 2);
  t.same(Compression, { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 });
});
