import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { StorageError } from '../../../config/errors.js';
import { randomUuid } from '../../../lib/uuid.js';
import { readMetaProperties, writeMetaProperties } from '../../../config/meta-properties.js';
import { checkStorageForStartup } from '../../../config/storage-check.js';
import { storageDirectories } from '../../../config/storage-dirs.js';

const CLUSTER = 'MkU3OEVBNTcwNTJENDM2Qk';
const ID_A = randomUuid(100);
const ID_B = randomUuid(100);

function setup(t: { teardown(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'raftka-storage-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const a = join(root, 'a');
  const b = join(root, 'b');
  const config = { logDirs: [b, a], metadataLogDir: a, 'node.id': 1 };
  type Fields = { clusterId?: string; nodeId?: number; directoryId?: string };
  const format = async (dir: string, meta: Fields = {}) => {
    mkdirSync(dir, { recursive: true });
    await writeMetaProperties(dir, { version: 1, clusterId: CLUSTER, nodeId: 1, ...meta });
  };
  return { a, b, config, format };
}

t.test('the storage directories: log dirs and the metadata dir, sorted and unique', async (t) => {
  const dirs = storageDirectories({ logDirs: ['/z', '/a', '/z'], metadataLogDir: '/m' });
  t.same(dirs, ['/a', '/m', '/z']);
  t.same(storageDirectories({ logDirs: ['/b', '/a'], metadataLogDir: '/b' }), ['/a', '/b']);
});

t.test('consistent directories give the cluster id, node id and directory ids', async (t) => {
  const { a, b, config, format } = setup(t);
  await format(a, { directoryId: ID_A });
  await format(b, { directoryId: ID_B });
  const identity = await checkStorageForStartup(config);
  t.equal(identity.clusterId, CLUSTER);
  t.equal(identity.nodeId, 1);
  t.same([...identity.directoryIds], [[a, ID_A], [b, ID_B]]);
  t.same(identity.offlineDirs, []);
});

t.test('no formatted directory: "No readable meta.properties files found."', async (t) => {
  const { config } = setup(t);
  await t.rejects(checkStorageForStartup(config),
    new StorageError('No readable meta.properties files found.'));
});

t.test('one unformatted directory is named, with the kafka-storage hint', async (t) => {
  const { a, b, config, format } = setup(t);
  await format(a);
  await t.rejects(checkStorageForStartup(config), new StorageError(
    `No \`meta.properties\` found in ${b} (have you run \`kafka-storage\` to format the ` +
    'directory?)'));
});

t.test('directories that disagree on cluster.id are refused (Kafka message)', async (t) => {
  const { a, b, config, format } = setup(t);
  await format(a);
  await format(b, { clusterId: 'other' });
  await t.rejects(checkStorageForStartup(config), new StorageError(
    `Invalid cluster.id in: ${join(b, 'meta.properties')}. Expected ${CLUSTER}, but read other`));
});

t.test('a stored node id other than the configured one is refused (Kafka message)', async (t) => {
  const { a, b, config, format } = setup(t);
  await format(a, { nodeId: 2 });
  await format(b, { nodeId: 2 });
  await t.rejects(checkStorageForStartup(config), new StorageError(
    `Stored node id 2 doesn't match previous node id 1 in ${join(a, 'meta.properties')}. If you ` +
    'moved your data, make sure your configured node id matches. If you intend to create a new ' +
    'node, you should remove all data in your data directories.'));
});

t.test('a duplicated directory id is refused', async (t) => {
  const { a, b, config, format } = setup(t);
  await format(a, { directoryId: ID_A });
  await format(b, { directoryId: ID_A });
  await t.rejects(checkStorageForStartup(config), new StorageError(
    `Duplicate directory ID ${ID_A} ` +
    `found. It was the directory ID of ${a}, but also of ${b}`));
});

t.test('an unreadable log dir goes offline; an unreadable metadata dir is fatal', async (t) => {
  const { a, b, config, format } = setup(t);
  await format(a);
  writeFileSync(b, 'not a directory');
  const bad = join(b, 'sub');
  const identity = await checkStorageForStartup({ ...config, logDirs: [a, bad] });
  t.same(identity.offlineDirs, [bad]);
  await t.rejects(checkStorageForStartup({ ...config, logDirs: [a, bad], metadataLogDir: bad }),
    /^Encountered I\/O error in metadata log directory .*\/b\/sub\. Cannot continue\./);
});

t.test('a directory formatted before KIP-858 gets a directory id, persisted', async (t) => {
  const { a, config, format } = setup(t);
  await format(a);
  const identity = await checkStorageForStartup({ ...config, logDirs: [a] });
  const assigned = identity.directoryIds.get(a);
  t.match(assigned, /^[A-Za-z0-9_-]{22}$/);
  t.equal((await readMetaProperties(a))?.directoryId, assigned);
});
