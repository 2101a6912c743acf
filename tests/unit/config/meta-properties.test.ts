import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  parseMetaProperties,
  readMetaProperties,
  writeMetaProperties,
} from '../../../config/meta-properties.js';
import {
  readBootstrapCheckpoint,
  writeBootstrapCheckpoint,
} from '../../../config/bootstrap-checkpoint.js';
import { parseReleaseVersion } from '../../../config/metadata-version.js';

const DIR_ID = 'b9-3pWVHTmK3Ucc5aYbWnA';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'raftka-meta-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('meta.properties is written like Properties.store and read back', async (t) => {
  const dir = tempDir(t);
  const clusterId = 'MkU3OEVBNTcwNTJENDM2Qk';
  const meta = { version: 1, clusterId, nodeId: 3, directoryId: DIR_ID } as const;
  await writeMetaProperties(dir, meta, new Date(Date.UTC(2024, 0, 5, 6, 7, 8)));
  t.equal(readFileSync(join(dir, 'meta.properties'), 'utf8'), [
    '#', '#Fri Jan 05 06:07:08 UTC 2024', 'cluster.id=MkU3OEVBNTcwNTJENDM2Qk',
    'directory.id=b9-3pWVHTmK3Ucc5aYbWnA', 'node.id=3', 'version=1', '',
  ].join('\n'));
  t.same(await readMetaProperties(dir), meta);
  t.same(readdirSync(dir), ['meta.properties'], 'no temporary file left behind');
});

t.test('a missing file or directory reads as undefined', async (t) => {
  const dir = tempDir(t);
  t.equal(await readMetaProperties(dir), undefined);
  t.equal(await readMetaProperties(join(dir, 'absent')), undefined);
});

t.test('invalid meta.properties files are refused with the path', async (t) => {
  t.throws(() => parseMetaProperties('broker.id=1\ncluster.id=x\n', '/d/meta.properties'),
    /\/d\/meta\.properties is a version 0 \(ZooKeeper mode\) file/);
  t.throws(() => parseMetaProperties('version=2\n', '/d/m'),
    /Unknown meta.properties version number 2/);
  t.throws(() => parseMetaProperties('version=1\nnode.id=1\n', '/d/m'),
    /cluster.id was not specified in the v1 file: \/d\/m/);
  t.throws(() => parseMetaProperties('version=1\ncluster.id=c\n', '/d/m'),
    /node.id was not specified in \/d\/m/);
  const badId = 'version=1\ncluster.id=c\nnode.id=1\ndirectory.id=zz\n';
  t.throws(() => parseMetaProperties(badId, '/d/m'),
    /Invalid directory.id 'zz'/);
  t.same(parseMetaProperties('version=1\ncluster.id=c\nnode.id=1\n', '/d/m'),
    { version: 1, clusterId: 'c', nodeId: 1 }, 'directory.id is optional (pre-KIP-858 files)');
});

t.test('an existing meta.properties is replaced whole', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'meta.properties'), 'garbage');
  await writeMetaProperties(dir, { version: 1, clusterId: 'c', nodeId: 1 });
  t.same(await readMetaProperties(dir), { version: 1, clusterId: 'c', nodeId: 1 });
});

t.test('release versions: Kafka names, bare releases, and clear refusals', async (t) => {
  const ok = (text: string): string | undefined => {
    const result = parseReleaseVersion(text);
    return result.ok ? `${result.version.name}/${result.version.featureLevel}` : undefined;
  };
  t.equal(ok('3.9-IV0'), '3.9-IV0/21');
  t.equal(ok('3.9'), '3.9-IV0/21');
  t.equal(ok('3.7'), '3.7-IV4/19', 'a release means its last level');
  t.equal(ok('3.3-IV0'), '3.3-IV0/4');
  const old = parseReleaseVersion('3.2');
  t.match(old.ok ? '' : old.message,
    /^Bootstrap metadata.version before 3.3-IV0 are not supported/);
  const unknown = parseReleaseVersion('4.5-IV9');
  t.match(unknown.ok ? '' : unknown.message,
    /^Unknown release version '4.5-IV9'\. Supported .* 3\.0-IV1 to 3\.9-IV0/);
});

t.test('bootstrap.checkpoint round-trips and rejects foreign content', async (t) => {
  const dir = tempDir(t);
  t.equal(await readBootstrapCheckpoint(dir), undefined);
  const checkpoint = {
    format: 'raftka-bootstrap', version: 1, metadataVersion: '3.9-IV0', metadataVersionLevel: 21,
    kraftVersion: 1, initialVoters: [{ id: 1, host: 'localhost', port: 9093, directoryId: DIR_ID }],
    formattedAtMs: 1_700_000_000_000,
  } as const;
  const initialVoters = [...checkpoint.initialVoters];
  await writeBootstrapCheckpoint(dir, { ...checkpoint, initialVoters });
  t.same(await readBootstrapCheckpoint(dir), checkpoint);
  writeFileSync(join(dir, 'bootstrap.checkpoint'), '{"format":"other"}');
  await t.rejects(readBootstrapCheckpoint(dir), /is not a valid bootstrap checkpoint/);
});
