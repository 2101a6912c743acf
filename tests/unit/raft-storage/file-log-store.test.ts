/**
 * What only the file store has: segment files, rolling, and what each operation leaves on disk.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { FileLogStore, segmentFileName } from '../../../raft/storage/index.js';
import { entriesFrameBytes } from '../../../raft/storage/batch-codec.js';
import { describe, makeEntries, segmentFiles, tempDir } from './fixtures/helpers.js';

const batch = (offset: number) => makeEntries(offset, 4, 1, 20);
const BATCH_BYTES = entriesFrameBytes(batch(0));
/** Room for exactly three batches per segment. */
const segmentBytes = BATCH_BYTES * 3;

async function filledStore(dir: string, batches: number): Promise<FileLogStore> {
  const store = await FileLogStore.open(dir, { segmentBytes });
  for (let i = 0; i < batches; i++) store.append(batch(i * 4));
  await store.sync();
  return store;
}

t.test('a new directory gets an empty first segment', async (t) => {
  const dir = join(await tempDir(t), '__cluster_metadata-0');
  const store = await FileLogStore.open(dir);
  t.same(await segmentFiles(dir), ['00000000000000000000.log']);
  const clean = { segmentsKept: 0, batchesKept: 0, bytesTruncated: 0, segmentsDeleted: [] };
  t.same(store.recovery, clean);
  await store.close();
});

t.test('the log rolls to a new segment named by its base offset', async (t) => {
  const dir = await tempDir(t);
  const store = await filledStore(dir, 8);
  t.same(await segmentFiles(dir), [segmentFileName(0), segmentFileName(12), segmentFileName(24)]);
  t.equal((await stat(join(dir, segmentFileName(0)))).size, segmentBytes);
  t.same(describe(store.readAll()), describe(makeEntries(0, 32, 1, 20)));
  await store.close();
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  const clean = { segmentsKept: 3, batchesKept: 8, bytesTruncated: 0, segmentsDeleted: [] };
  t.same(reopened.recovery, clean);
  t.same(describe(reopened.readAll()), describe(makeEntries(0, 32, 1, 20)));
  await reopened.close();
});

t.test('a batch larger than a segment gets a segment of its own', async (t) => {
  const dir = await tempDir(t);
  const store = await FileLogStore.open(dir, { segmentBytes: 64 });
  store.append(makeEntries(0, 1, 1, 100));
  store.append(makeEntries(1, 1, 1, 100));
  t.same(await segmentFiles(dir), [segmentFileName(0), segmentFileName(1)]);
  await store.close();
});

t.test('truncateFrom at a segment boundary empties it and deletes later ones', async (t) => {
  const dir = await tempDir(t);
  const store = await filledStore(dir, 8);
  store.truncateFrom(12);
  t.same(await segmentFiles(dir), [segmentFileName(0), segmentFileName(12)]);
  t.equal((await stat(join(dir, segmentFileName(12)))).size, 0);
  store.append(makeEntries(12, 2, 2));
  await store.close();
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  const expected = [...makeEntries(0, 12, 1, 20), ...makeEntries(12, 2, 2)];
  t.same(describe(reopened.readAll()), describe(expected));
  await reopened.close();
});

t.test('truncateFrom inside a batch of an older segment', async (t) => {
  const dir = await tempDir(t);
  const store = await filledStore(dir, 8);
  store.truncateFrom(6);
  t.same(await segmentFiles(dir), [segmentFileName(0)]);
  store.append(makeEntries(6, 20, 2, 20));
  await store.close();
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  const expected = [...makeEntries(0, 6, 1, 20), ...makeEntries(6, 20, 2, 20)];
  t.same(describe(reopened.readAll()), describe(expected));
  t.equal(reopened.recovery.bytesTruncated, 0);
  await reopened.close();
});

t.test('deleteBefore removes whole segments below the offset at the next sync', async (t) => {
  const dir = await tempDir(t);
  const store = await filledStore(dir, 8);
  store.deleteBefore(25);
  t.equal(store.startOffset(), 25);
  t.equal((await segmentFiles(dir)).length, 3, 'nothing is unlinked before sync()');
  await store.sync();
  t.same(await segmentFiles(dir), [segmentFileName(24)]);
  t.same(describe(store.readAll()), describe(makeEntries(25, 7, 1, 20)));
  store.deleteBefore(32);
  await store.sync();
  t.same(await segmentFiles(dir), [segmentFileName(24)], 'the active segment is never deleted');
  await store.close();
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  t.equal(reopened.startOffset(), 24);
  t.equal(reopened.endOffset(), 32);
  await reopened.close();
});

t.test('resetTo leaves one empty segment at the offset', async (t) => {
  const dir = await tempDir(t);
  const store = await filledStore(dir, 8);
  store.deleteBefore(13);
  store.resetTo(12);
  t.same(await segmentFiles(dir), [segmentFileName(12)]);
  await store.sync();
  store.append(makeEntries(12, 1, 4));
  await store.close();
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  t.same(describe(reopened.readAll()), describe(makeEntries(12, 1, 4)));
  await reopened.close();
});

t.test('a store is unusable after close()', async (t) => {
  const dir = await tempDir(t);
  const store = await filledStore(dir, 1);
  await store.close();
  await store.close();
  t.throws(() => store.append(batch(4)));
});

t.test('inline fsync keeps the same contract: synced batches survive a reopen', async (t) => {
  const dir = await tempDir(t);
  const store = await FileLogStore.open(dir, { segmentBytes, fsync: 'inline' });
  for (let i = 0; i < 5; i++) store.append(batch(i * 4));
  await store.sync();
  await store.close();
  const reopened = await FileLogStore.open(dir, { segmentBytes, fsync: 'inline' });
  t.same(describe(reopened.readAll()), describe(makeEntries(0, 20, 1, 20)));
  await reopened.close();
});
