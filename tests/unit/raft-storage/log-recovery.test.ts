/**
 * Recovery at open: the log comes back as its longest valid prefix, whatever a crash or a bad
 * disk left at the tail, and nothing that follows a damaged or stale frame is trusted.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import { encodeEntriesFrame, entriesFrameBytes } from '../../../raft/storage/batch-codec.js';
import { FileLogStore, segmentFileName } from '../../../raft/storage/index.js';
import { describe, makeEntries, segmentFiles, tempDir } from './fixtures/helpers.js';

const batch = (offset: number, epoch = 1) => makeEntries(offset, 4, epoch, 20);
const BATCH_BYTES = entriesFrameBytes(batch(0));
const segmentBytes = BATCH_BYTES * 3;
const FIRST = segmentFileName(0);

async function writeLog(dir: string, batches: number): Promise<void> {
  const store = await FileLogStore.open(dir, { segmentBytes });
  for (let i = 0; i < batches; i++) store.append(batch(i * 4));
  await store.close();
}

t.test('a torn last batch is cut at every possible byte, the batches before survive', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 3);
  const path = join(dir, FIRST);
  const original = await readFile(path);
  const lastStart = 2 * BATCH_BYTES;
  for (let cut = lastStart; cut < original.length; cut++) {
    await writeFile(path, original.subarray(0, cut));
    const store = await FileLogStore.open(dir, { segmentBytes });
    const ok =
      store.endOffset() === 8 &&
      store.recovery.bytesTruncated === cut - lastStart &&
      store.recovery.batchesKept === 2 &&
      (await stat(path)).size === lastStart &&
      describe(store.readAll()).join() === describe(makeEntries(0, 8, 1, 20)).join();
    if (!ok) t.fail(`cut at ${cut}: ${JSON.stringify(store.recovery)}`);
    if (cut === lastStart + 1) {
      store.append(batch(8, 2));
      await store.close();
      const again = await FileLogStore.open(dir, { segmentBytes });
      t.same(describe(again.readAll()), describe([...makeEntries(0, 8, 1, 20), ...batch(8, 2)]));
      await again.close();
    } else {
      await store.close();
    }
  }
  t.pass(`${original.length - lastStart} cuts recovered`);
});

t.test('a torn truncation frame brings the whole batch back, never less', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 2);
  const path = join(dir, FIRST);
  const store = await FileLogStore.open(dir, { segmentBytes });
  store.truncateFrom(6);
  await store.close();
  const truncated = await readFile(path);
  t.equal(truncated.length, 2 * BATCH_BYTES + 26, 'the cut is a 26-byte frame after the batch');
  for (let cut = 2 * BATCH_BYTES; cut < truncated.length; cut++) {
    await writeFile(path, truncated.subarray(0, cut));
    const reopened = await FileLogStore.open(dir, { segmentBytes });
    if (reopened.endOffset() !== 8) t.fail(`cut at ${cut}: end ${reopened.endOffset()}`);
    await reopened.close();
  }
  await writeFile(path, truncated);
  const whole = await FileLogStore.open(dir, { segmentBytes });
  t.same(describe(whole.readAll()), describe(makeEntries(0, 6, 1, 20)));
  await whole.close();
});

t.test('a corrupt byte inside the last batch cuts the log at that batch', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 3);
  const path = join(dir, FIRST);
  const bytes = await readFile(path);
  bytes[2 * BATCH_BYTES + 40]! ^= 0x10;
  await writeFile(path, bytes);
  const store = await FileLogStore.open(dir, { segmentBytes });
  t.equal(store.endOffset(), 8);
  t.equal(store.recovery.bytesTruncated, BATCH_BYTES);
  t.match(store.recovery.problem, /CRC-32C mismatch/);
  t.equal((await stat(path)).size, 2 * BATCH_BYTES);
  await store.close();
});

t.test('zeros after the last batch (a size update without data) are cut', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 2);
  const path = join(dir, FIRST);
  await writeFile(path, Buffer.concat([await readFile(path), Buffer.alloc(4096)]));
  const store = await FileLogStore.open(dir, { segmentBytes });
  t.equal(store.endOffset(), 8);
  t.equal(store.recovery.bytesTruncated, 4096);
  await store.close();
});

// The log must stay one contiguous chain (Log Matching): entries behind a damaged batch cannot
// be placed, so the later segments go too, and the node refetches them from the leader.
t.test('a corrupt batch in an older segment drops every later segment', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 8);
  const path = join(dir, FIRST);
  const bytes = await readFile(path);
  bytes[BATCH_BYTES + 30]! ^= 0x01;
  await writeFile(path, bytes);
  const store = await FileLogStore.open(dir, { segmentBytes });
  t.equal(store.endOffset(), 4);
  t.same(store.recovery.segmentsDeleted, [segmentFileName(12), segmentFileName(24)]);
  t.equal(store.recovery.bytesTruncated, 7 * BATCH_BYTES);
  const where = `${FIRST}: corrupt frame at position ${BATCH_BYTES}`;
  t.match(store.recovery.problem, new RegExp(`^${where}`));
  t.same(await segmentFiles(dir), [FIRST]);
  store.append(batch(4, 2));
  await store.close();
  const again = await FileLogStore.open(dir, { segmentBytes });
  t.same(describe(again.readAll()), describe([...batch(0), ...batch(4, 2)]));
  await again.close();
});

t.test('an old frame behind a newer one (lost ftruncate) breaks the chain', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 3);
  const path = join(dir, FIRST);
  const old = await readFile(path);
  const store = await FileLogStore.open(dir, { segmentBytes });
  store.truncateFrom(4);
  store.append(batch(4, 2)); // same size as the batch it replaces
  await store.close();
  const rewritten = await readFile(path);
  t.equal(rewritten.length, 2 * BATCH_BYTES);
  // The new batch reached the disk, the ftruncate did not: the old third batch is still there,
  // CRC-valid and at the right offset, but it followed the old second batch, not the new one.
  await writeFile(path, Buffer.concat([rewritten, old.subarray(rewritten.length)]));
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  t.same(describe(reopened.readAll()), describe([...batch(0), ...batch(4, 2)]));
  t.match(reopened.recovery.problem, /does not continue the chain/);
  await reopened.close();
});

t.test('stale segments left by a lost unlink are dropped (chain or gap)', async (t) => {
  const dir = await tempDir(t);
  await writeLog(dir, 8);
  const stale12 = await readFile(join(dir, segmentFileName(12)));
  const stale24 = await readFile(join(dir, segmentFileName(24)));
  const store = await FileLogStore.open(dir, { segmentBytes });
  store.truncateFrom(10);
  store.append(makeEntries(10, 2, 2, 20));
  await store.close();
  await writeFile(join(dir, segmentFileName(12)), stale12);
  await writeFile(join(dir, segmentFileName(24)), stale24);
  const reopened = await FileLogStore.open(dir, { segmentBytes });
  const expected = [...makeEntries(0, 10, 1, 20), ...makeEntries(10, 2, 2, 20)];
  t.same(describe(reopened.readAll()), describe(expected));
  t.same(reopened.recovery.segmentsDeleted, [segmentFileName(24)]);
  // Segment 0 was full, so the re-appended entries went to a new segment at 10; the stale
  // segment at 12 follows it by offset but not by chain, so it is cut to nothing.
  const live = [FIRST, segmentFileName(10), segmentFileName(12)];
  t.same(await segmentFiles(dir), live);
  t.equal((await stat(join(dir, segmentFileName(12)))).size, 0);
  await reopened.close();

  await writeFile(join(dir, segmentFileName(24)), stale24);
  const gap = await FileLogStore.open(dir, { segmentBytes });
  t.match(gap.recovery.problem, /starts at 24, the log before it ends at 12/);
  t.same(await segmentFiles(dir), live);
  await gap.close();
});

t.test('a CRC-valid batch that breaks the epoch order is a bug and asserts', async (t) => {
  const dir = await tempDir(t);
  const store = await FileLogStore.open(dir);
  store.append(batch(0, 5));
  await store.close();
  const path = join(dir, FIRST);
  const bytes = await readFile(path);
  const bad = encodeEntriesFrame(bytes.readUInt32BE(4), batch(4, 3));
  await writeFile(path, Buffer.concat([bytes, bad.bytes]));
  await t.rejects(FileLogStore.open(dir), AssertionFailure);
});
