import t from 'tap';
import { createPrng, type Prng } from '../../../lib/prng.js';
import { scanRequestFrame } from '../../../protocol/frame-scan.js';
import {
  ApiKey, decodeRequest, encodeRequest, ErrorCode, limits,
} from '../../../protocol/index.js';
import { encodeRecordBatch } from '../../../protocol/records/index.js';
import { packRaw } from './fixtures/round-trip.js';

const FRAME_LIMIT = 100 * 1024 * 1024;

/** The msgpack elements of a decoded value: every map, array, key and value counts one. */
function countElements(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce((sum: number, v) => sum + countElements(v), 0);
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return 1;
  return 1 + Object.values(value).reduce((sum: number, v) => sum + 1 + countElements(v), 0);
}

/** A random value with every msgpack format msgpackr writes for the protocol's types. */
function randomValue(prng: Prng, depth: number): unknown {
  const pick = prng.nextInt(0, depth >= 6 ? 7 : 9);
  const ints = [0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32, 2 ** 40, -1, -32, -33, -128,
    -129, -32_768, -32_769, -(2 ** 31), -(2 ** 40)];
  switch (pick) {
    case 0: return ints[prng.nextInt(0, ints.length)];
    case 1: return prng.nextInt(0, 1_000_000) / 7;
    case 2: return 'x'.repeat([0, 5, 31, 32, 255, 256, 70_000][prng.nextInt(0, 7)]!);
    case 3: return Buffer.alloc([0, 10, 255, 256, 70_000][prng.nextInt(0, 5)]!, 7);
    case 4: return null;
    case 5: return prng.chance(0.5);
    case 6: return undefined;
    case 7: return Array.from({ length: prng.nextInt(0, 20) }, () => randomValue(prng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: prng.nextInt(0, 20) },
      (_, i) => [`k${i}`, randomValue(prng, depth + 1)]));
  }
}

t.test('the scan counts the elements msgpackr decodes, for every format (seeded)', async (t) => {
  const prng = createPrng(20_250_907);
  for (let i = 0; i < 300; i++) {
    const value = { correlationId: i, api: ApiKey.Produce, payload: randomValue(prng, 0) };
    const scan = scanRequestFrame(packRaw(value), FRAME_LIMIT);
    t.same(scan, { ok: true, elements: countElements(value) }, `value ${i}`);
  }
  const wide = { correlationId: 1, api: ApiKey.Fetch, payload: Array(70_000).fill(1) };
  t.same(scanRequestFrame(packRaw(wide), FRAME_LIMIT), { ok: true, elements: 70_007 },
    'array 32');
});

/** A Metadata request whose topics are `count` one-byte ints, its entries in `order`. */
function tinyElements(count: number,
  order = ['correlationId', 'api', 'version', 'clientId', 'payload']) {
  const entries: Record<string, unknown> = {
    correlationId: 9, api: ApiKey.Metadata, version: 0, clientId: 'hog',
    payload: { topics: Array(count).fill(1), allowAutoTopicCreation: false },
  };
  return packRaw(Object.fromEntries(order.map((key) => [key, entries[key]])));
}

t.test('a frame over its API\'s element bound gets INVALID_REQUEST naming it', async (t) => {
  const decoded = decodeRequest(tinyElements(limits.MAX_ADMIN_REQUEST_ELEMENTS));
  t.match(decoded, { kind: 'error', correlationId: 9, errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: /more than 131072 msgpack elements.*Metadata \(MAX_ADMIN_REQUEST_ELEMENTS\)/ });
  t.match(decodeRequest(tinyElements(limits.MAX_ADMIN_REQUEST_ELEMENTS - 20)),
    { kind: 'error', errorMessage: /payload\.topics/ }, 'just under it the schema judges');
  const bound = limits.MAX_ADMIN_REQUEST_ELEMENTS;
  const late = ['version', 'clientId'];
  t.match(decodeRequest(tinyElements(bound, ['payload', 'correlationId', 'api', ...late])),
    { kind: 'error', correlationId: 9, errorMessage: /MAX_ADMIN_REQUEST_ELEMENTS/ },
    'an api key after the payload still bounds it');
  t.match(decodeRequest(tinyElements(bound, ['payload', 'api', 'correlationId', ...late])),
    { kind: 'close', reason: /MAX_ADMIN_REQUEST_ELEMENTS/ },
    'over the bound before the correlation id is read: close');
});

t.test('the scan stops at the bound, before the bytes that follow are looked at', async (t) => {
  // An array that claims 2^32-1 elements but holds just over the bound and then ends: msgpackr
  // would report a truncated frame after decoding all of them; the scan never gets there.
  const bound = limits.MAX_ADMIN_REQUEST_ELEMENTS;
  const frame = Buffer.concat([
    packRaw({ correlationId: 3, api: ApiKey.Metadata }).subarray(0),
    Buffer.from(packRaw('payload')), Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
    Buffer.alloc(bound, 1),
  ]);
  frame.writeUInt16BE(3, 1); // the map 16 now has a third entry, `payload`
  t.match(scanRequestFrame(frame, FRAME_LIMIT),
    { ok: false, correlationId: 3, reason: /more than 131072 msgpack elements/ });
});

t.test('only Produce may use the whole frame limit', async (t) => {
  const names = Array.from({ length: 40 }, (_, i) => `${i}-${'n'.repeat(30_000)}`);
  const metadata = encodeRequest('Metadata', { correlationId: 4, clientId: 'c' },
    { topics: names, allowAutoTopicCreation: false });
  t.match(decodeRequest(metadata), { kind: 'error', correlationId: 4,
    errorMessage: /bytes exceeds 1048576, the limit of Metadata \(MAX_ADMIN_REQUEST_BYTES\)/ });
  const value = Buffer.alloc(2 * 1024 * 1024);
  const batch = encodeRecordBatch([{ key: null, value, timestampMs: 1 }]);
  const produce = encodeRequest('Produce', { correlationId: 5, clientId: 'c' }, {
    acks: 1, timeoutMs: 1_000,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, records: batch }] }],
  });
  t.equal(decodeRequest(produce).kind, 'request', 'a 2 MiB Produce passes');
  t.match(scanRequestFrame(produce, FRAME_LIMIT), { ok: true, elements: 27 },
    'its record batch is one element, skipped by length');
});

t.test('a producer request with the most partitions fits under the Produce bound', async (t) => {
  const batch = encodeRecordBatch([{ key: null, value: null, timestampMs: 1 }]);
  const produce = encodeRequest('Produce', { correlationId: 6, clientId: 'c' }, {
    acks: -1, timeoutMs: 1_000,
    topics: Array.from({ length: limits.MAX_PRODUCE_PARTITIONS_PER_REQUEST }, (_, i) => ({
      name: `topic-${i}`, partitions: [{ partitionIndex: 0, records: batch }],
    })),
  });
  t.equal(decodeRequest(produce).kind, 'request');
});

t.test('nesting, long strings and extension types are refused before decoding', async (t) => {
  let deep: unknown = 1;
  for (let i = 0; i < limits.MAX_REQUEST_NESTING_DEPTH; i++) deep = [deep];
  const cases: [string, unknown, RegExp][] = [
    ['nesting', deep, /nesting deeper than 16 \(MAX_REQUEST_NESTING_DEPTH\)/],
    ['a long string', 'x'.repeat(limits.MAX_STRING_BYTES + 1),
      /a string of 98302 bytes exceeds 98301 \(MAX_STRING_BYTES\)/],
    ['a Date (extension -1)', new Date(0), /msgpack extension type 255 is not part/],
  ];
  for (const [what, payload, reason] of cases) {
    const decoded = decodeRequest(packRaw({
      correlationId: 8, api: ApiKey.Metadata, version: 0, clientId: null, payload,
    }));
    t.match(decoded, { kind: 'error', correlationId: 8, errorMessage: reason }, what);
  }
  t.match(decodeRequest(packRaw({ correlationId: 8, api: ApiKey.Metadata, version: 0,
    clientId: null, payload: { topics: undefined, allowAutoTopicCreation: false } })),
  { kind: 'error', errorMessage: /payload\.topics/ }, 'msgpackr\'s undefined passes the scan');
});
