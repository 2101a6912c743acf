/**
 * sync() coalescing: concurrent requests share flushes, and each resolves only after a flush that
 * started after it was made.
 */
import t from 'tap';
import { SyncCoalescer } from '../../../raft/storage/sync-coalescer.js';

interface Flush {
  readonly startedAt: number;
  finish(error?: Error): void;
}

function controlledFlushes() {
  const flushes: Flush[] = [];
  let clock = 0;
  const coalescer = new SyncCoalescer(
    () =>
      new Promise<void>((resolve, reject) => {
        flushes.push({ startedAt: clock, finish: (error) => (error ? reject(error) : resolve()) });
      }),
  );
  return { coalescer, flushes, tick: () => ++clock };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

t.test('requests during a flush share the next one, which starts after them', async (t) => {
  const { coalescer, flushes, tick } = controlledFlushes();
  const done: string[] = [];
  const a = coalescer.request().then(() => done.push('a'));
  tick();
  const b = coalescer.request().then(() => done.push('b'));
  const c = coalescer.request().then(() => done.push('c'));
  t.equal(flushes.length, 1, 'one flush at a time');
  t.ok(coalescer.busy);
  flushes[0]!.finish();
  await a;
  await settle();
  t.same(done, ['a'], 'b and c came after the first flush started: it does not cover them');
  t.equal(flushes.length, 2);
  t.equal(flushes[1]!.startedAt, 1, 'the second flush started after b and c were requested');
  flushes[1]!.finish();
  await Promise.all([b, c]);
  t.same(done, ['a', 'b', 'c']);
  t.equal(flushes.length, 2, 'three requests, two flushes');
  t.notOk(coalescer.busy);
});

t.test('a burst of requests while idle costs one flush', async (t) => {
  const { coalescer, flushes } = controlledFlushes();
  const first = coalescer.request();
  const rest = Array.from({ length: 50 }, () => coalescer.request());
  flushes[0]!.finish();
  await first;
  await settle();
  flushes[1]!.finish();
  await Promise.all(rest);
  t.equal(flushes.length, 2);
});

t.test('a failed flush fails its requests and every later one (fsyncgate)', async (t) => {
  const { coalescer, flushes } = controlledFlushes();
  const first = coalescer.request();
  const queued = coalescer.request();
  flushes[0]!.finish(new Error('EIO'));
  await t.rejects(first, /EIO/);
  await t.rejects(queued, /EIO/);
  await t.rejects(coalescer.request(), /EIO/);
  t.equal(flushes.length, 1, 'no retry');
  await coalescer.idle();
});
