/**
 * Snapshot files: atomic writes, newest-only retention, and an open that ignores interrupted
 * writes and steps over corrupt files.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import {
  FileSnapshotStore,
  MemorySnapshotStore,
  snapshotFileName,
  type SnapshotStore,
} from '../../../raft/storage/index.js';
import { tempDir, type Teardown } from './fixtures/helpers.js';

const payload = (n: number) => Uint8Array.from({ length: 100 + n }, (_, i) => (i * 13 + n) & 0xff);
const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : '');

t.test('file names follow KRaft: 20-digit end offset, 10-digit epoch', async (t) => {
  const name = (endOffset: number, epoch: number) => snapshotFileName({ endOffset, epoch });
  t.equal(name(0, 0), '00000000000000000000-0000000000.checkpoint');
  t.equal(name(1234, 7), '00000000000000001234-0000000007.checkpoint');
});

t.test('a written snapshot is the latest, after a restart too; older ones go', async (t) => {
  const dir = await tempDir(t);
  const store = await FileSnapshotStore.open(dir);
  t.equal(store.latest(), undefined);
  await store.write({ endOffset: 10, epoch: 1 }, payload(1));
  await store.write({ endOffset: 20, epoch: 2 }, payload(2));
  t.same(store.latest()?.id, { endOffset: 20, epoch: 2 });
  t.same(await readdir(dir), ['00000000000000000020-0000000002.checkpoint']);
  const reopened = await FileSnapshotStore.open(dir);
  t.same(reopened.latest()?.id, { endOffset: 20, epoch: 2 });
  t.equal(hex(reopened.latest()?.bytes), hex(payload(2)));
  t.same(reopened.recovery.discarded, []);
});

t.test('open ignores and removes .part files, and steps over a corrupt newest file', async (t) => {
  const dir = await tempDir(t);
  const store = await FileSnapshotStore.open(dir);
  await store.write({ endOffset: 10, epoch: 1 }, payload(1));
  const valid = await readFile(join(dir, snapshotFileName({ endOffset: 10, epoch: 1 })));
  // An older valid file whose removal was lost, a newer corrupt one, an interrupted write.
  await writeFile(join(dir, snapshotFileName({ endOffset: 5, epoch: 1 })), valid);
  const corrupt = Buffer.from(valid);
  corrupt[corrupt.length - 1]! ^= 1;
  await writeFile(join(dir, snapshotFileName({ endOffset: 30, epoch: 3 })), corrupt);
  await writeFile(join(dir, snapshotFileName({ endOffset: 40, epoch: 3 }) + '.part'), valid);
  const reopened = await FileSnapshotStore.open(dir);
  t.same(reopened.latest()?.id, { endOffset: 10, epoch: 1 });
  t.equal(hex(reopened.latest()?.bytes), hex(payload(1)));
  t.same((await readdir(dir)).sort(), [
    '00000000000000000010-0000000001.checkpoint',
    '00000000000000000030-0000000003.checkpoint.deleted',
  ]);
  t.match(reopened.recovery.discarded.map((d) => d.reason).join('|'), /CRC-32C mismatch/);
  const again = await FileSnapshotStore.open(dir);
  const left = ['00000000000000000010-0000000001.checkpoint'];
  t.same(await readdir(dir), left, 'the .deleted file goes at the next open');
  t.same(again.latest()?.id, { endOffset: 10, epoch: 1 });
});

t.test('a truncated snapshot file is corrupt', async (t) => {
  const dir = await tempDir(t);
  const store = await FileSnapshotStore.open(dir);
  await store.write({ endOffset: 10, epoch: 1 }, payload(1));
  const path = join(dir, snapshotFileName({ endOffset: 10, epoch: 1 }));
  await writeFile(path, (await readFile(path)).subarray(0, 50));
  t.equal((await FileSnapshotStore.open(dir)).latest(), undefined);
});

const twins: Record<string, (t: Teardown) => Promise<SnapshotStore>> = {
  FileSnapshotStore: async (t) => FileSnapshotStore.open(await tempDir(t)),
  MemorySnapshotStore: async () => new MemorySnapshotStore(),
};

for (const [name, open] of Object.entries(twins)) {
  t.test(`${name}: ordering and copying rules`, async (t) => {
    const store = await open(t);
    const bytes = payload(3);
    await store.write({ endOffset: 10, epoch: 2 }, bytes);
    bytes.fill(0);
    t.equal(hex(store.latest()?.bytes), hex(payload(3)), 'the store keeps its own copy');
    t.throws(() => store.write({ endOffset: 9, epoch: 2 }, bytes), AssertionFailure, 'older');
    const otherEpoch = { endOffset: 10, epoch: 3 };
    t.throws(() => store.write(otherEpoch, bytes), AssertionFailure, 'same end, other epoch');
    await store.write({ endOffset: 10, epoch: 2 }, payload(4));
    t.equal(hex(store.latest()?.bytes), hex(payload(4)), 'the same id may be written again');
  });
}

t.test('the memory twin: a crash keeps the last write, or the one in flight', async (t) => {
  let release: () => void = () => undefined;
  const store = new MemorySnapshotStore({
    writeDelay: () => new Promise<void>((resolve) => (release = resolve)),
  });
  const write = store.write({ endOffset: 5, epoch: 1 }, payload(5));
  t.equal(store.crash().latest(), undefined);
  t.same(store.crash({ inFlightWriteLanded: true }).latest()?.id, { endOffset: 5, epoch: 1 });
  await new Promise((resolve) => setImmediate(resolve));
  release();
  await write;
  t.same(store.crash().latest()?.id, { endOffset: 5, epoch: 1 });
});
