import t from 'tap';
import { gzipSync } from 'node:zlib';
import { createPrng, type Prng } from '../../../lib/prng.js';
import { crc32c } from '../../../lib/crc32c.js';
import {
  Attributes, Compression, RecordBatchError, checkBatch, decodeRecordBatch, encodeRecordBatch,
  readBatchHeader, stampBatch, type ConsumedRecord, type ProducerRecord,
} from '../../../protocol/records/index.js';
import { KAFKA_BATCHES } from './fixtures/kafka-batches.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function recrc(batch: Uint8Array): void {
  view(batch).setUint32(17, crc32c(batch.subarray(21)));
}

/** What the consumer should see for `records` written at baseOffset. */
function expected(records: readonly ProducerRecord[], baseOffset = 0): ConsumedRecord[] {
  return records.map((r, i) => ({
    offset: baseOffset + i,
    timestampMs: r.timestampMs,
    key: r.key === null ? null : Uint8Array.from(r.key),
    value: r.value === null ? null : Uint8Array.from(r.value),
    headers: (r.headers ?? []).map((h) => ({
      key: h.key, value: h.value === null ? null : Uint8Array.from(h.value),
    })),
  }));
}

/** Decoded keys and values are Buffer or Uint8Array views; compare as plain Uint8Arrays. */
function plain(records: ConsumedRecord[]): ConsumedRecord[] {
  const copy = (b: Uint8Array | null) => (b === null ? null : Uint8Array.from(b));
  return records.map((r) => ({
    ...r, key: copy(r.key), value: copy(r.value),
    headers: r.headers.map((h) => ({ key: h.key, value: copy(h.value) })),
  }));
}

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : Buffer.compare(a, b) === 0;

/**
 * The first difference between decoded and expected records, or null. Deep equality in tap is
 * per element and far too slow for megabyte values, so bytes are compared with Buffer.compare.
 */
function firstDifference(got: ConsumedRecord[], want: ConsumedRecord[]): string | null {
  if (got.length !== want.length) return `${got.length} records, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (g.offset !== w.offset) return `record ${i}: offset ${g.offset}, expected ${w.offset}`;
    if (g.timestampMs !== w.timestampMs) return `record ${i}: timestamp ${g.timestampMs}`;
    if (!sameBytes(g.key, w.key)) return `record ${i}: key differs`;
    if (!sameBytes(g.value, w.value)) return `record ${i}: value differs`;
    if (g.headers.length !== w.headers.length) return `record ${i}: header count differs`;
    for (let j = 0; j < w.headers.length; j++) {
      const gh = g.headers[j]!;
      const wh = w.headers[j]!;
      if (gh.key !== wh.key || !sameBytes(gh.value, wh.value)) return `record ${i}: header ${j}`;
    }
  }
  return null;
}

function roundTrip(records: ProducerRecord[], compression: 'none' | 'gzip' = 'none') {
  const batch = encodeRecordBatch(records, { compression });
  const check = checkBatch(batch);
  return { batch, check, decoded: decodeRecordBatch(batch) };
}

t.test('re-encoding the records of a Kafka-written batch gives Kafka\'s exact bytes', async (t) => {
  for (const fixture of KAFKA_BATCHES) {
    const records: ProducerRecord[] = fixture.records.map((r) => ({
      key: null, value: utf8(r.value), timestampMs: r.timestampMs,
      headers: r.headers.map((h) => ({ key: h.key, value: utf8(h.value) })),
    }));
    const batch = encodeRecordBatch(records);
    stampBatch(batch, 0, fixture.baseOffset, fixture.partitionLeaderEpoch);
    t.equal(Buffer.from(batch).toString('hex'), fixture.hex, fixture.what);
    const decoded = decodeRecordBatch(Buffer.from(fixture.hex, 'hex'));
    t.same(plain(decoded.records), expected(records, fixture.baseOffset),
      `${fixture.what}: decoded`);
  }
});

t.test('records round-trip: null and empty keys and values, headers, unicode', async (t) => {
  const records: ProducerRecord[] = [
    { key: null, value: null, timestampMs: 1000 },
    { key: new Uint8Array(0), value: new Uint8Array(0), timestampMs: 1000 },
    { key: utf8('k'), value: utf8('v'), timestampMs: 999, headers: [] },
    {
      key: utf8('clé 🔑'), value: utf8('значение ✓ 値'), timestampMs: 1005,
      headers: [
        { key: 'trace-id', value: utf8('abc') },
        { key: 'null-value', value: null },
        { key: '', value: new Uint8Array(0) },
        { key: 'ключ 🗝', value: utf8('ü') },
      ],
    },
  ];
  for (const compression of ['none', 'gzip'] as const) {
    const { check, decoded } = roundTrip(records, compression);
    t.ok(check.ok, `${compression}: checkBatch accepts it`);
    t.same(plain(decoded.records), expected(records), `${compression}: records`);
    t.equal(decoded.header.baseTimestamp, 1000, `${compression}: base is the first timestamp`);
    t.equal(decoded.header.maxTimestamp, 1005, `${compression}: max is the largest`);
    t.equal(decoded.records[2]!.timestampMs, 999, `${compression}: a negative delta`);
  }
});

t.test('the producer writes the defaults the broker expects to stamp', async (t) => {
  const header = readBatchHeader(encodeRecordBatch([{ key: null, value: null, timestampMs: 5 }]));
  t.match(header, {
    baseOffset: 0, partitionLeaderEpoch: -1, magic: 2, attributes: 0, lastOffsetDelta: 0,
    producerId: -1, producerEpoch: -1, baseSequence: -1, recordCount: 1,
  });
  const idempotent = readBatchHeader(encodeRecordBatch(
    [{ key: null, value: null, timestampMs: 5 }],
    { producerId: 2 ** 40, producerEpoch: 3, baseSequence: 77, transactional: true },
  ));
  t.match(idempotent, { producerId: 2 ** 40, producerEpoch: 3, baseSequence: 77 });
  t.equal(idempotent.attributes, Attributes.transactional);
});

t.test('many records and large values round-trip, plain and gzip', async (t) => {
  const many = Array.from({ length: 5000 }, (_, i) => ({
    key: i % 3 === 0 ? null : utf8(`key-${i}`), value: utf8(`v${i}`.repeat(i % 7)),
    timestampMs: 1_700_000_000_000 + (i % 50) * 1000,
  }));
  const large = [
    { key: utf8('big'), value: new Uint8Array(3 * 1024 * 1024).fill(0xab), timestampMs: 1 },
    { key: null, value: Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31) & 0xff),
      timestampMs: 2 },
  ];
  for (const [what, records] of [['5000 records', many], ['3 MiB values', large]] as const) {
    for (const compression of ['none', 'gzip'] as const) {
      const { check, decoded, batch } = roundTrip([...records], compression);
      t.ok(check.ok, `${what}, ${compression}: valid`);
      t.equal(decoded.records.length, records.length);
      t.equal(firstDifference(decoded.records, expected(records)), null,
        `${what}, ${compression}: records`);
      if (compression === 'gzip') {
        t.equal(readBatchHeader(batch).attributes & 7, Compression.gzip, 'codec bits set');
      }
    }
  }
});

t.test('gzip compresses repetitive records and the CRC covers the compressed bytes', async (t) => {
  const records = Array.from({ length: 100 }, () => ({
    key: null, value: utf8('the same value again'), timestampMs: 1,
  }));
  const plainBatch = encodeRecordBatch(records);
  const gzipped = encodeRecordBatch(records, { compression: 'gzip' });
  t.ok(gzipped.length < plainBatch.length / 3, `${gzipped.length} < ${plainBatch.length} / 3`);
  gzipped[gzipped.length - 10]! ^= 1;
  t.match(checkBatch(gzipped), { ok: false, message: /^crc:/ });
});

t.test('uncompressed keys and values are views into the input, not copies', async (t) => {
  const batch = encodeRecordBatch([{ key: utf8('key'), value: utf8('value'), timestampMs: 1 }]);
  const pool = Buffer.alloc(batch.length + 64);
  pool.set(batch, 64);
  const { records } = decodeRecordBatch(pool, 64);
  const value = records[0]!.value!;
  t.equal(value.buffer, pool.buffer, 'same backing buffer');
  pool[value.byteOffset - pool.byteOffset] = 'V'.charCodeAt(0);
  t.equal(Buffer.from(value).toString(), 'Value');
});

t.test('with LogAppendTime every record carries the batch maxTimestamp (Kafka rule)', async (t) => {
  const batch = encodeRecordBatch([
    { key: null, value: null, timestampMs: 10 }, { key: null, value: null, timestampMs: 20 },
  ]);
  const v = view(batch);
  v.setInt16(21, v.getInt16(21) | Attributes.logAppendTime);
  v.setUint32(39, 777_000); // Low half of maxTimestamp: the broker's append time.
  recrc(batch);
  const { records } = decodeRecordBatch(batch);
  t.same(records.map((r) => r.timestampMs), [777_000, 777_000]);
});

t.test('unsupported codecs are named in the error', async (t) => {
  for (const [name, codec] of [['snappy', 2], ['lz4', 3], ['zstd', 4]] as const) {
    const batch = encodeRecordBatch([{ key: null, value: null, timestampMs: 1 }]);
    view(batch).setInt16(21, codec);
    recrc(batch);
    t.ok(checkBatch(batch).ok, `${name} passes checkBatch (the broker stores it as-is)`);
    t.throws(() => decodeRecordBatch(batch),
      new RecordBatchError(`compression: ${name} is not supported by this build`));
  }
});

t.test('malformed record bytes throw RecordBatchError naming the field', async (t) => {
  const good = () => encodeRecordBatch([
    { key: utf8('abc'), value: utf8('xyz'), timestampMs: 1, headers: [{ key: 'h', value: null }] },
  ]);
  // Record bytes at 61: length, attributes, tsDelta, offsetDelta, keyLen(06)='abc', valueLen...
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['a key length past the record', (b) => { b[65] = 0x7e; return b; },
      /^records\[0\]\.key: length 63 runs past the end/],
    ['a key length below -1', (b) => { b[65] = 0x03; return b; },
      /^records\[0\]\.key: invalid length -2/],
    ['a record length past the batch', (b) => { b[61] = 0x7e; return b; },
      /^records\[0\]\.length: 63 does not fit the batch/],
    ['a record length shorter than its fields', (b) => { b[61]! -= 2; return b; },
      /^records\[0\]\./],
    ['a null header key', (b) => { b[b.length - 3] = 0x01; return b; },
      /^records\[0\]\.headers\[0\]\.key: null/],
    ['a record count larger than the bytes allow', (b) => { view(b).setInt32(57, 1000); return b; },
      /^recordCount: 1000 records cannot fit/],
    ['a record count smaller than the records', (b) => { view(b).setInt32(57, 0); return b; },
      /^recordCount: 0 records end at byte 0/],
    ['a wrong magic', (b) => { b[16] = 1; return b; }, /^magic: expected 2, found 1/],
    ['a truncated batch', (b) => b.subarray(0, b.length - 1), /^batchLength: /],
    ['under a header', (b) => b.subarray(0, 30), /^header: need 61 bytes, found 30/],
  ];
  for (const [what, damage, message] of cases) {
    t.throws(() => decodeRecordBatch(damage(good())), { name: 'RecordBatchError', message }, what);
  }
});

t.test('a gzip batch with garbage or a bomb in its records throws RecordBatchError', async (t) => {
  const batch = encodeRecordBatch([{ key: null, value: utf8('x'), timestampMs: 1 }],
    { compression: 'gzip' });
  batch.fill(0x55, 61);
  t.throws(() => decodeRecordBatch(batch),
    { name: 'RecordBatchError', message: /^records: gzip:/ });

  const bomb = encodeRecordBatch([{ key: null, value: new Uint8Array(1 << 20), timestampMs: 1 }],
    { compression: 'gzip' });
  t.throws(() => decodeRecordBatch(bomb, 0, { decompressedBytesMax: 64 * 1024 }),
    { name: 'RecordBatchError', message: /^records: gzip:/ });
  t.equal(decodeRecordBatch(bomb).records[0]!.value!.length, 1 << 20, 'fine without the limit');
});

t.test('a gzip batch written by another producer (multi-member gzip) decodes', async (t) => {
  const records = [{ key: null, value: utf8('a'), timestampMs: 1 },
    { key: null, value: utf8('b'), timestampMs: 2 }];
  const plainBatch = encodeRecordBatch(records);
  const section = plainBatch.subarray(61);
  const compressed = Buffer.concat(
    [gzipSync(section.subarray(0, 5)), gzipSync(section.subarray(5))],
  );
  const batch = Buffer.concat([plainBatch.subarray(0, 61), compressed]);
  view(batch).setInt32(8, batch.length - 12);
  view(batch).setInt16(21, Compression.gzip);
  recrc(batch);
  t.same(plain(decodeRecordBatch(batch).records), expected(records));
});

t.test('encodeRecordBatch rejects an empty batch and non-integer timestamps', async (t) => {
  t.throws(() => encodeRecordBatch([]), { name: 'RecordBatchError', message: /^records:/ });
  t.throws(() => encodeRecordBatch([{ key: null, value: null, timestampMs: 1.5 }]),
    { name: 'RecordBatchError', message: /^records\[0\]\.timestampMs: expected an integer/ });
  t.throws(() => encodeRecordBatch([{ key: null, value: null, timestampMs: Number.NaN }]),
    { name: 'RecordBatchError' });
});

function randomBytes(prng: Prng, maxLength: number): Uint8Array | null {
  if (prng.chance(0.1)) return null;
  const length = prng.chance(0.1) ? 0 : prng.nextInt(0, maxLength);
  return Uint8Array.from({ length }, () => prng.nextUint32() & 0xff);
}

function randomString(prng: Prng): string {
  const alphabet = ['a', 'Z', '0', '-', 'é', 'ß', '値', '🔑', ' '];
  return Array.from({ length: prng.nextInt(0, 12) }, () => alphabet[prng.nextInt(0, 9)]!).join('');
}

function randomRecords(prng: Prng): ProducerRecord[] {
  const base = prng.nextInt(0, 2 ** 30) * 1000;
  return Array.from({ length: prng.nextInt(1, 60) }, () => {
    const headerCount = prng.chance(0.5) ? 0 : prng.nextInt(1, 4);
    return {
      key: randomBytes(prng, 40),
      value: randomBytes(prng, prng.chance(0.05) ? 5000 : 200),
      // Deltas beyond int32 exercise the varlong path; negative deltas are legal.
      timestampMs: base + (prng.chance(0.1) ? prng.nextInt(-(2 ** 31), 2 ** 31) * 3 :
        prng.nextInt(-1000, 100_000)),
      headers: Array.from({ length: headerCount }, () => ({
        key: randomString(prng), value: randomBytes(prng, 30),
      })),
    };
  });
}

t.test('random batches round-trip through encode, check, stamp and decode (seeded)', async (t) => {
  for (let seed = 1; seed <= 200; seed++) {
    const prng = createPrng(seed);
    const records = randomRecords(prng);
    const compression = prng.chance(0.3) ? 'gzip' : 'none';
    const baseOffset = prng.nextInt(0, 2 ** 31) * 1000;
    const batch = encodeRecordBatch(records, { compression });
    stampBatch(batch, 0, baseOffset, prng.nextInt(0, 1000));
    const check = checkBatch(batch);
    if (!check.ok) {
      t.fail(`seed ${seed}: checkBatch rejected the batch: ${check.message}`);
      continue;
    }
    const decoded = decodeRecordBatch(batch);
    const want = expected(records, baseOffset);
    const maxTimestamp = Math.max(...records.map((r) => r.timestampMs));
    t.equal(firstDifference(decoded.records, want), null,
      `seed ${seed}: ${records.length} records, ${compression}`);
    t.equal(decoded.header.maxTimestamp, maxTimestamp, `seed ${seed}: maxTimestamp`);
  }
});

t.test('damaged record bytes decode or throw RecordBatchError, never another error', async (t) => {
  let thrown = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const prng = createPrng(seed);
    const batch = encodeRecordBatch(randomRecords(prng).slice(0, 5));
    for (let n = prng.nextInt(1, 4); n > 0; n--) {
      batch[prng.nextInt(61, batch.length)] = prng.nextUint32() & 0xff;
    }
    recrc(batch);
    try {
      decodeRecordBatch(batch);
    } catch (error) {
      if (!(error instanceof RecordBatchError)) {
        t.fail(`seed ${seed}: threw ${String(error)}`);
        return;
      }
      thrown++;
    }
  }
  t.ok(thrown > 0, `${thrown} of 300 damaged batches were rejected, the rest decoded`);
});
