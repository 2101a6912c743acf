/**
 * The quorum-state file: KRaft's JSON layout, atomic replacement, and a loud error instead of a
 * silent reset when the file cannot be read (a forgotten vote could elect two leaders).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import {
  CorruptStorageError,
  FileQuorumStateStore,
  INITIAL_QUORUM_STATE,
  MemoryQuorumStateStore,
  type QuorumStateStore,
} from '../../../raft/storage/index.js';
import { tempDir, type Teardown } from './fixtures/helpers.js';

t.test('a missing file reads as epoch 0, no vote, no leader', async (t) => {
  const store = await FileQuorumStateStore.open(await tempDir(t));
  t.same(store.read(), { epoch: 0, votedId: -1, leaderId: -1 });
});

t.test('a write is read back, after a restart too, in KRaft v1 layout', async (t) => {
  const dir = await tempDir(t);
  const store = await FileQuorumStateStore.open(dir);
  await store.write({ epoch: 2, votedId: 1, leaderId: -1 });
  t.same(store.read(), { epoch: 2, votedId: 1, leaderId: -1 });
  t.equal(
    await readFile(join(dir, 'quorum-state'), 'utf8'),
    '{"leaderId":-1,"leaderEpoch":2,"votedId":1,"data_version":1}',
  );
  t.same(await readdir(dir), ['quorum-state'], 'no temp file is left behind');
  await store.write({ epoch: 2, votedId: 1, leaderId: 1 });
  await store.write({ epoch: 3, votedId: -1, leaderId: 3 });
  const reopened = await FileQuorumStateStore.open(dir);
  t.same(reopened.read(), { epoch: 3, votedId: -1, leaderId: 3 });
});

t.test('concurrent writes land in order', async (t) => {
  const dir = await tempDir(t);
  const store = await FileQuorumStateStore.open(dir);
  await Promise.all([4, 5, 6].map((epoch) => store.write({ epoch, votedId: -1, leaderId: -1 })));
  t.equal((await FileQuorumStateStore.open(dir)).read().epoch, 6);
});

t.test("KRaft's own files are readable (v1 with votedDirectoryId, v0)", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'quorum-state');
  await writeFile(
    path,
    '{"leaderId":-1,"leaderEpoch":2,"votedId":1,' +
      '"votedDirectoryId":"J8aAPcfLQt2bqs1JT_rMgQ","data_version":1}',
  );
  t.same((await FileQuorumStateStore.open(dir)).read(), { epoch: 2, votedId: 1, leaderId: -1 });
  await writeFile(
    path,
    '{"clusterId":"","leaderId":3,"leaderEpoch":7,"votedId":-1,"appliedOffset":0,' +
      '"currentVoters":[{"voterId":1}],"data_version":0}',
  );
  t.same((await FileQuorumStateStore.open(dir)).read(), { epoch: 7, votedId: -1, leaderId: 3 });
});

t.test('a corrupt file is an error naming the file, never a reset', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'quorum-state');
  const cases = [
    '',
    '{"leaderId":-1,"leaderEpoch":2,"votedId":1,"data_ver',
    '[]',
    '{"leaderId":-1,"leaderEpoch":"2","votedId":1,"data_version":1}',
    '{"leaderId":-1,"leaderEpoch":2,"votedId":-7,"data_version":1}',
    '{"leaderId":-1,"leaderEpoch":2,"votedId":1,"data_version":9}',
  ];
  for (const text of cases) {
    await writeFile(path, text);
    await t.rejects(FileQuorumStateStore.open(dir), CorruptStorageError, JSON.stringify(text));
    await t.rejects(FileQuorumStateStore.open(dir), new RegExp(`corrupt storage file ${path}`));
  }
});

const twins: Record<string, (t: Teardown) => Promise<QuorumStateStore>> = {
  FileQuorumStateStore: async (t) => FileQuorumStateStore.open(await tempDir(t)),
  MemoryQuorumStateStore: async () => new MemoryQuorumStateStore(),
};

for (const [name, open] of Object.entries(twins)) {
  t.test(`${name} asserts the Raft rules on every write (§5.1, §5.2)`, async (t) => {
    const store = await open(t);
    await store.write({ epoch: 5, votedId: 2, leaderId: -1 });
    const refuses = (epoch: number, votedId: number, leaderId: number, why: string) =>
      t.throws(() => store.write({ epoch, votedId, leaderId }), AssertionFailure, why);
    refuses(4, -1, -1, 'epoch goes back');
    refuses(5, 3, -1, 'second vote in an epoch');
    await store.write({ epoch: 5, votedId: 2, leaderId: 2 });
    refuses(5, 2, 1, 'second leader in an epoch');
    refuses(6, -2, -1, 'bad id');
    await store.write({ epoch: 6, votedId: 3, leaderId: -1 });
    t.same(store.read(), { epoch: 6, votedId: 3, leaderId: -1 });
  });
}

t.test('the memory twin: a crash keeps the last write, or the one in flight', async (t) => {
  let release: () => void = () => undefined;
  const store = new MemoryQuorumStateStore({
    writeDelay: () => new Promise<void>((resolve) => (release = resolve)),
  });
  const write = store.write({ epoch: 1, votedId: 1, leaderId: -1 });
  t.same(store.crash().read(), INITIAL_QUORUM_STATE);
  t.same(store.crash({ inFlightWriteLanded: true }).read(), { epoch: 1, votedId: 1, leaderId: -1 });
  await new Promise((resolve) => setImmediate(resolve));
  release();
  await write;
  t.same(store.crash().read(), { epoch: 1, votedId: 1, leaderId: -1 });
});
