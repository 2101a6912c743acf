/**
 * One contract, two implementations: every case runs against FileLogStore and MemoryLogStore,
 * so that the simulator's twin cannot drift from what production does.
 */
import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import { FileLogStore, MemoryLogStore, type LogStore } from '../../../raft/storage/index.js';
import { describe, makeEntries, tempDir, type Teardown } from './fixtures/helpers.js';

interface Harness {
  store: LogStore;
  /** A clean restart: sync, then open the store again from what is durable. */
  restart(): Promise<void>;
}

const limits = { segmentBytes: 300, batchBytesMax: 4096, batchEntriesMax: 64 };

const implementations: Record<string, (t: Teardown) => Promise<Harness>> = {
  FileLogStore: async (t) => {
    const dir = await tempDir(t);
    const harness: Harness = {
      store: await FileLogStore.open(dir, limits),
      async restart() {
        await harness.store.close();
        harness.store = await FileLogStore.open(dir, limits);
      },
    };
    t.teardown(() => harness.store.close());
    return harness;
  },
  MemoryLogStore: async () => {
    const harness: Harness = {
      store: new MemoryLogStore(limits),
      async restart() {
        await harness.store.sync();
        harness.store = (harness.store as MemoryLogStore).crash();
      },
    };
    return harness;
  },
};

for (const [name, open] of Object.entries(implementations)) {
  t.test(name, async (t) => {
    t.test('an empty log starts and ends at 0', async (t) => {
      const h = await open(t);
      t.equal(h.store.startOffset(), 0);
      t.equal(h.store.endOffset(), 0);
      t.same(h.store.readAll(), []);
      h.store.append([]);
      t.equal(h.store.endOffset(), 0, 'an empty append writes nothing');
    });

    t.test('appended batches read back in order, before and after a restart', async (t) => {
      const h = await open(t);
      const written = [...makeEntries(0, 3, 1), ...makeEntries(3, 10, 1), ...makeEntries(13, 1, 2)];
      h.store.append(written.slice(0, 3));
      h.store.append(written.slice(3, 13));
      h.store.append(written.slice(13));
      t.equal(h.store.endOffset(), 14);
      t.same(describe(h.store.readAll()), describe(written));
      await h.store.sync();
      await h.restart();
      t.equal(h.store.endOffset(), 14);
      t.same(describe(h.store.readAll()), describe(written));
    });

    t.test('truncateFrom inside a batch keeps the entries below it (Raft §5.3)', async (t) => {
      const h = await open(t);
      h.store.append(makeEntries(0, 10, 1));
      h.store.append(makeEntries(10, 10, 1));
      await h.store.sync();
      h.store.truncateFrom(15);
      t.equal(h.store.endOffset(), 15);
      h.store.append(makeEntries(15, 3, 2));
      const expected = [...makeEntries(0, 15, 1), ...makeEntries(15, 3, 2)];
      t.same(describe(h.store.readAll()), describe(expected));
      await h.store.sync();
      await h.restart();
      t.same(describe(h.store.readAll()), describe(expected));
      h.store.truncateFrom(12);
      h.store.truncateFrom(11);
      h.store.append(makeEntries(11, 2, 3));
      const again = [...makeEntries(0, 10, 1), ...makeEntries(10, 1, 1), ...makeEntries(11, 2, 3)];
      t.same(describe(h.store.readAll()), describe(again));
      await h.restart();
      t.same(describe(h.store.readAll()), describe(again));
    });

    t.test('truncateFrom at a batch boundary, then append', async (t) => {
      const h = await open(t);
      h.store.append(makeEntries(0, 4, 1));
      h.store.append(makeEntries(4, 4, 1));
      h.store.truncateFrom(4);
      h.store.append(makeEntries(4, 2, 5));
      await h.restart();
      const expected = [...makeEntries(0, 4, 1), ...makeEntries(4, 2, 5)];
      t.same(describe(h.store.readAll()), describe(expected));
      h.store.truncateFrom(0);
      t.equal(h.store.endOffset(), 0);
      await h.restart();
      t.same(h.store.readAll(), []);
      h.store.append(makeEntries(0, 1, 6));
      t.same(describe(h.store.readAll()), describe(makeEntries(0, 1, 6)));
    });

    t.test('truncateFrom at or after the end changes nothing', async (t) => {
      const h = await open(t);
      h.store.append(makeEntries(0, 4, 1));
      h.store.truncateFrom(4);
      h.store.truncateFrom(40);
      t.equal(h.store.endOffset(), 4);
    });

    t.test('deleteBefore moves the start; every entry from it on stays', async (t) => {
      const h = await open(t);
      for (let offset = 0; offset < 60; offset += 5) h.store.append(makeEntries(offset, 5, 1, 16));
      await h.store.sync();
      h.store.deleteBefore(37);
      t.equal(h.store.startOffset(), 37);
      t.same(describe(h.store.readAll()), describe(makeEntries(37, 23, 1, 16)));
      h.store.deleteBefore(20);
      t.equal(h.store.startOffset(), 37, 'the start never moves back');
      await h.store.sync();
      await h.restart();
      // The file store forgets whole segments only, so its start after a restart may be lower.
      const start = h.store.startOffset();
      t.ok(start <= 37, `start ${start} <= 37`);
      t.same(describe(h.store.readAll()), describe(makeEntries(start, 60 - start, 1, 16)));
      t.throws(() => h.store.deleteBefore(61), AssertionFailure, 'cannot delete past the end');
    });

    t.test('resetTo empties the log at the offset (snapshot install)', async (t) => {
      const h = await open(t);
      h.store.append(makeEntries(0, 8, 1));
      h.store.resetTo(100);
      t.equal(h.store.startOffset(), 100);
      t.equal(h.store.endOffset(), 100);
      t.same(h.store.readAll(), []);
      h.store.append(makeEntries(100, 2, 3));
      await h.restart();
      t.equal(h.store.startOffset(), 100);
      t.same(describe(h.store.readAll()), describe(makeEntries(100, 2, 3)));
      h.store.resetTo(0);
      h.store.append(makeEntries(0, 1, 4));
      await h.restart();
      t.same(describe(h.store.readAll()), describe(makeEntries(0, 1, 4)));
    });

    t.test('append asserts on a gap, a decreasing epoch and over-limit batches', async (t) => {
      const h = await open(t);
      h.store.append(makeEntries(0, 2, 3));
      t.throws(() => h.store.append(makeEntries(3, 1, 3)), AssertionFailure, 'gap');
      t.throws(() => h.store.append(makeEntries(1, 1, 3)), AssertionFailure, 'overlap');
      t.throws(() => h.store.append(makeEntries(2, 1, 2)), AssertionFailure, 'epoch goes back');
      const tooMany = makeEntries(2, 65, 3, 0);
      t.throws(() => h.store.append(tooMany), AssertionFailure, 'too many entries');
      const tooLarge = makeEntries(2, 1, 3, 4096);
      t.throws(() => h.store.append(tooLarge), AssertionFailure, 'too many bytes');
      t.throws(() => h.store.truncateFrom(-1), AssertionFailure, 'truncate below start');
      t.equal(h.store.endOffset(), 2, 'a refused append changes nothing');
      h.store.append(makeEntries(2, 64, 3, 0));
      t.equal(h.store.endOffset(), 66);
    });

    t.test('concurrent syncs all resolve, and entries survive a restart', async (t) => {
      const h = await open(t);
      const syncs: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        h.store.append(makeEntries(i, 1, 1));
        syncs.push(h.store.sync());
      }
      await Promise.all(syncs);
      await h.restart();
      t.same(describe(h.store.readAll()), describe(makeEntries(0, 20, 1)));
    });
  });
}
