/**
 * Prints (does not assert) two cost figures: validating a FetchResponse with 100 entries of
 * 200 bytes, and one-way FetchResponse (16 entries x 200 bytes) messages per second between two
 * transports in this process. Timing assertions would be flaky on shared CI machines.
 */
import t from 'tap';
import { Unpackr } from 'msgpackr';
import type { FetchResponse, RaftMessage } from '../../../raft/core/types.js';
import { decodeFrame, encodeFrame } from '../../../raft/transport/frame-codec.js';
import { frameSchema } from '../../../raft/transport/frame-schema.js';
import { bytes, startPair, waitFor } from './fixtures/harness.js';

function fetchResponse(entryCount: number, entryBytes: number): RaftMessage {
  const body: FetchResponse = {
    type: 'FetchResponse', epoch: 7, leaderId: 1, error: 'NONE', highWatermark: 1_000_000,
    logStartOffset: 0,
    entries: Array.from({ length: entryCount }, (_, i) => ({
      offset: 1_000_000 + i, epoch: 7, kind: 0, data: bytes(entryBytes, i),
    })),
  };
  return { from: 1, to: 2, body };
}

function microsecondsPerOp(iterations: number, fn: () => void): number {
  for (let i = 0; i < iterations / 10; i++) fn(); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

t.test('validation cost of a FetchResponse with 100 entries x 200 bytes', async (t) => {
  const frame = Buffer.from(encodeFrame({ kind: 'raft', message: fetchResponse(100, 200) }));
  const value: unknown = new Unpackr({ useRecords: false }).unpack(frame);
  const validate = microsecondsPerOp(5_000, () => {
    if (!frameSchema.safeParse(value).success) throw new Error('invalid');
  });
  const decode = microsecondsPerOp(5_000, () => {
    if (!decodeFrame(frame).ok) throw new Error('invalid');
  });
  t.comment(`frame ${frame.byteLength} bytes: zod validation ${validate.toFixed(1)} us, ` +
    `unpack + validation ${decode.toFixed(1)} us`);
  t.pass();
});

t.test('one-way throughput of FetchResponse (16 entries x 200 bytes)', async (t) => {
  const [a, b] = await startPair();
  t.teardown(() => Promise.all([a.transport.close(), b.transport.close()]));
  // Count in the handler instead of keeping 40,000 messages; wake the sender when a window's
  // first half has arrived (an event, not a poll, so timing reflects the transport).
  let count = 0;
  let target = 0;
  let wake: (() => void) | undefined;
  const message = fetchResponse(16, 200);
  a.transport.send(message);
  await waitFor('warm connection', () => b.received.length === 1);
  b.received.push = () => {
    count += 1;
    if (count >= target && wake !== undefined) wake();
    return count;
  };
  const arrived = (atLeast: number) => new Promise<void>((resolve, reject) => {
    if (count >= atLeast) return resolve();
    const timer = setTimeout(() => reject(new Error('timed out waiting for delivery')), 10_000);
    target = atLeast;
    wake = () => {
      clearTimeout(timer);
      wake = undefined;
      resolve();
    };
  });
  const total = 40_000;
  const window = 512;
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < total;) {
    const batch = Math.min(window, total - sent);
    for (let i = 0; i < batch; i++) a.transport.send(message);
    sent += batch;
    await arrived(sent - window / 2);
  }
  await arrived(total);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const frameBytes = encodeFrame({ kind: 'raft', message }).byteLength;
  const megabytesPerSecond = (total * frameBytes) / seconds / 1e6;
  t.comment(`${total} messages of ${frameBytes} bytes in ${seconds.toFixed(2)} s: ` +
    `${Math.round(total / seconds)} msg/s, ${megabytesPerSecond.toFixed(1)} MB/s`);
  t.equal(a.transport.stats().peers[0]!.messagesDropped, 0);
});
