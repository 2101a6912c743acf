/**
 * The crash model of the in-memory log: what a restart finds is the synced state plus a prefix
 * of the unsynced operations, and a sync() covers only what was written before it was called.
 */
import t from 'tap';
import { MemoryLogStore } from '../../../raft/storage/index.js';
import { describe, makeEntries } from './fixtures/helpers.js';

t.test('a crash loses every unsynced write by default', async (t) => {
  const store = new MemoryLogStore();
  store.append(makeEntries(0, 3, 1));
  await store.sync();
  store.append(makeEntries(3, 3, 1));
  store.truncateFrom(1);
  t.equal(store.unsyncedOperationCount(), 2);
  const restarted = store.crash();
  t.same(describe(restarted.readAll()), describe(makeEntries(0, 3, 1)));
  t.equal(restarted.unsyncedOperationCount(), 0);
});

t.test('a crash may keep any prefix of the unsynced operations', async (t) => {
  const store = new MemoryLogStore();
  store.append(makeEntries(0, 4, 1));
  await store.sync();
  store.truncateFrom(2);
  store.append(makeEntries(2, 1, 2));
  store.deleteBefore(1);
  const ends = [0, 1, 2, 3].map((kept) => store.crash({ unsyncedOperationsKept: kept }));
  t.same(ends.map((s) => [s.startOffset(), s.endOffset()]), [[0, 4], [0, 2], [0, 3], [1, 3]]);
  const expected = [...makeEntries(0, 2, 1), ...makeEntries(2, 1, 2)];
  t.same(describe(ends[2]!.readAll()), describe(expected));
  t.throws(() => store.crash({ unsyncedOperationsKept: 4 }));
});

t.test('a sync covers only what was written before the call', async (t) => {
  const releases: (() => void)[] = [];
  const store = new MemoryLogStore({
    syncDelay: () => new Promise<void>((resolve) => releases.push(resolve)),
  });
  store.append(makeEntries(0, 1, 1));
  const first = store.sync();
  store.append(makeEntries(1, 1, 1));
  releases.shift()!();
  await first;
  t.equal(store.crash().endOffset(), 1, 'the second append is not durable yet');
  const second = store.sync();
  releases.shift()!();
  await second;
  t.equal(store.crash().endOffset(), 2);
});

t.test('appended data is copied: the caller may reuse its buffers', async (t) => {
  const store = new MemoryLogStore();
  const entries = makeEntries(0, 1, 1);
  store.append(entries);
  entries[0]!.data.fill(0);
  t.not(Buffer.from(store.readAll()[0]!.data).toString('hex'), '0'.repeat(16));
});
