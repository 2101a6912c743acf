import t from 'tap';
import { createPrng } from '../../../lib/prng.js';
import {
  RecordBatchError, readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint,
  writeVarlong,
} from '../../../protocol/records/index.js';

/** Encodes into a spare buffer and returns exactly the bytes written. */
function encodeVarint(value: number): Uint8Array {
  const out = new Uint8Array(16);
  return out.subarray(0, writeVarint(out, 0, value));
}

function encodeVarlong(value: number): Uint8Array {
  const out = new Uint8Array(16);
  return out.subarray(0, writeVarlong(out, 0, value));
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// Expected bytes follow the zigzag + base-128 rule of Kafka's ByteUtils (and Protocol Buffers
// sint32/sint64): 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, ..., least significant group first.
t.test('varints encode to the zigzag bytes Kafka writes', async (t) => {
  const cases: [number, string][] = [
    [0, '00'], [-1, '01'], [1, '02'], [-2, '03'], [63, '7e'], [-64, '7f'], [64, '8001'],
    [300, 'd804'], [2147483647, 'feffffff0f'], [-2147483648, 'ffffffff0f'],
  ];
  for (const [value, bytes] of cases) {
    t.equal(hex(encodeVarint(value)), bytes, `varint ${value}`);
    t.equal(sizeOfVarint(value), bytes.length / 2, `size of varint ${value}`);
    t.equal(readVarint(Buffer.from(bytes, 'hex'), { at: 0 }), value, `read back ${value}`);
  }
});

t.test('varlongs encode int64 values beyond 32 bits exactly', async (t) => {
  const cases: [number, string][] = [
    [0, '00'], [-1, '01'], [2147483648, '8080808010'], [-2147483649, '8180808010'],
    [2 ** 32, '8080808020'], [Number.MAX_SAFE_INTEGER, 'feffffffffffff1f'],
    [Number.MIN_SAFE_INTEGER, 'fdffffffffffff1f'],
  ];
  for (const [value, bytes] of cases) {
    t.equal(hex(encodeVarlong(value)), bytes, `varlong ${value}`);
    t.equal(sizeOfVarlong(value), bytes.length / 2, `size of varlong ${value}`);
    t.equal(readVarlong(Buffer.from(bytes, 'hex'), { at: 0 }), value, `read back ${value}`);
  }
});

t.test('a varlong outside the safe integer range is rejected, not rounded', async (t) => {
  // zigzag(2^53) = 2^54 = 0x20 in the eighth 7-bit group (bits 49..55).
  const twoPow53 = Buffer.from('8080808080808020', 'hex');
  t.throws(() => readVarlong(twoPow53, { at: 0 }), RecordBatchError);
  // Java Long.MIN_VALUE: zigzag all ones, ten bytes.
  const longMin = Buffer.from('ffffffffffffffffff01', 'hex');
  t.throws(() => readVarlong(longMin, { at: 0 }), /not a safe integer/);
  t.throws(() => writeVarlong(new Uint8Array(10), 0, 2 ** 53), RangeError);
});

t.test('readers advance the cursor past exactly what they consume', async (t) => {
  const bytes = Buffer.from('d804' + '01' + '8080808010', 'hex');
  const cursor = { at: 0 };
  t.equal(readVarint(bytes, cursor), 300);
  t.equal(cursor.at, 2);
  t.equal(readVarint(bytes, cursor), -1);
  t.equal(readVarlong(bytes, cursor), 2147483648);
  t.equal(cursor.at, bytes.length);
});

t.test('malformed varints throw RecordBatchError naming the field', async (t) => {
  t.throws(() => readVarint(Buffer.from('80', 'hex'), { at: 0 }, 'key'),
    { name: 'RecordBatchError', message: 'key: varint runs past the end' });
  t.throws(() => readVarint(Buffer.from('ffffffff10', 'hex'), { at: 0 }, 'offsetDelta'),
    { message: 'offsetDelta: varint does not fit in 32 bits' });
  t.throws(() => readVarint(Buffer.from('ffffffff8f01', 'hex'), { at: 0 }),
    { message: /does not fit in 32 bits/ });
  t.throws(() => readVarlong(Buffer.from('ffffffffffffffffff02', 'hex'), { at: 0 }, 'ts'),
    { message: 'ts: varlong does not fit in 64 bits' });
  t.throws(() => readVarlong(Buffer.from('ffffffffffffffffff81', 'hex'), { at: 0 }, 'ts'),
    { message: /ts: varlong/ });
  t.throws(() => writeVarint(new Uint8Array(5), 0, 2 ** 31), RangeError, 'int32 overflow');
  t.throws(() => writeVarint(new Uint8Array(5), 0, 1.5), RangeError, 'a fraction');
});

t.test('random varints and varlongs round-trip (seeded property)', async (t) => {
  for (let seed = 1; seed <= 20; seed++) {
    const prng = createPrng(seed);
    for (let i = 0; i < 200; i++) {
      const int32 = prng.nextUint32() | 0;
      const bits = prng.nextInt(0, 54);
      const magnitude = Math.floor(prng.nextFloat() * 2 ** bits);
      const long = prng.chance(0.5) ? -magnitude : magnitude;
      const a = new Uint8Array(5);
      const b = new Uint8Array(10);
      const endA = writeVarint(a, 0, int32);
      const endB = writeVarlong(b, 0, long);
      const ca = { at: 0 };
      const cb = { at: 0 };
      if (readVarint(a, ca) !== int32 || ca.at !== endA || endA !== sizeOfVarint(int32) ||
        readVarlong(b, cb) !== long || cb.at !== endB || endB !== sizeOfVarlong(long)) {
        t.fail(`seed ${seed}, case ${i}: varint ${int32} or varlong ${long} did not round-trip`);
        return;
      }
    }
  }
  t.pass('4000 varints and varlongs over seeds 1..20 round-tripped');
});
