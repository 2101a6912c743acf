import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadServerConfig } from '../../config/load.js';
import { checkStorageForStartup } from '../../config/storage-check.js';
import {
  brokerOnly,
  combined,
  directoryIdOf,
  kafkaStorage,
  kafkaStorageCommand,
  workspace,
} from './fixtures/storage-tool.js';

const CLUSTER = 'MkU3OEVBNTcwNTJENDM2Qk';
const STACK_FRAME = /\n\s+at /;
// kafkaStorage runs the engine in this process (cli/storage/storage-tool.ts); --help and 'the
// command' run the built tool.
const format = (config: string, ...args: string[]) =>
  kafkaStorage('format', '-t', CLUSTER, '-c', config, ...args);
const metaPath = (dir: string): string => join(dir, 'meta.properties');

t.test('random-uuid prints one fresh Kafka Uuid per run', async (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const run = await kafkaStorage('random-uuid');
    t.equal(run.code, 0);
    t.equal(run.stderr, '');
    t.match(run.stdout, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}\n$/);
    seen.add(run.stdout);
  }
  t.equal(seen.size, 5, 'all different');
});

t.test('format writes meta.properties and bootstrap.checkpoint in every directory', async (t) => {
  const ws = workspace(t);
  const [a, b] = [join(ws.root, 'a'), join(ws.root, 'b')];
  const config = ws.config('server.properties', combined(`${b},${a}`));
  const run = await format(config);
  t.equal(run.code, 0, run.stderr);
  t.equal(run.stdout,
    `Formatting data directory ${a} with metadata.version 3.9-IV0.\n` +
    `Formatting metadata directory ${b} with metadata.version 3.9-IV0.\n`);
  const meta = readFileSync(metaPath(a), 'utf8');
  t.match(meta, /^#\n#\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}\n/, 'Properties.store header');
  t.match(meta, new RegExp(`\ncluster.id=${CLUSTER}\ndirectory.id=[A-Za-z0-9_-]{22}\n` +
    'node.id=1\nversion=1\n$'));
  t.not(directoryIdOf(a), directoryIdOf(b), 'each directory has its own directory.id');
  const checkpoint = JSON.parse(readFileSync(join(b, 'bootstrap.checkpoint'), 'utf8'));
  t.match(checkpoint, {
    metadataVersion: '3.9-IV0', metadataVersionLevel: 21, kraftVersion: 0, initialVoters: null,
  });

  const identity = await checkStorageForStartup(loadServerConfig(config, []).config);
  t.equal(identity.clusterId, CLUSTER, 'the server start-up check accepts the result');
  t.same([...identity.directoryIds.keys()].sort(), [a, b]);
});

t.test('formatting twice fails; -g skips formatted directories', async (t) => {
  const ws = workspace(t);
  const a = join(ws.root, 'a');
  const config = ws.config('server.properties', combined(a));
  t.equal((await format(config)).code, 0);
  const again = await format(config);
  t.equal(again.code, 1);
  t.equal(again.stderr, `Log directory ${a} is already formatted. Use --ignore-formatted to ` +
    'ignore this directory and format the others.\n');
  const ignored = await format(config, '-g');
  t.equal(ignored.code, 0);
  t.equal(ignored.stdout, 'All of the log directories are already formatted.\n');
  const b = join(ws.root, 'b');
  const more = await format(config, '--ignore-formatted', '--override', `log.dirs=${a},${b}`);
  t.equal(more.code, 0, more.stderr);
  t.equal(more.stdout, `Formatting data directory ${b} with metadata.version 3.9-IV0.\n`);
});

t.test('a different cluster id is refused before -g applies, as one line', async (t) => {
  const ws = workspace(t);
  const a = join(ws.root, 'a');
  const config = ws.config('server.properties', combined(a));
  await format(config);
  const run = await kafkaStorage('format', '-g', '-t', 'other-cluster', '-c', config);
  t.equal(run.code, 1);
  t.equal(run.stderr,
    `Invalid cluster.id in: ${metaPath(a)}. Expected other-cluster, but read ${CLUSTER}\n`);
});

t.test('a different node id is refused (Kafka message)', async (t) => {
  const ws = workspace(t);
  const a = join(ws.root, 'a');
  const config = ws.config('broker.properties', brokerOnly(a));
  t.equal((await format(config)).code, 0);
  const run = await format(config, '-g', '--override', 'node.id=3');
  t.equal(run.code, 1);
  t.equal(run.stderr, `Stored node id 2 doesn't match previous node id 3 in ${metaPath(a)}. ` +
    'If you moved your data, make sure your configured node id matches. If you intend to ' +
    'create a new node, you should remove all data in your data directories.\n');
});

t.test('config errors name file:line and key; warnings go to stderr as WARN', async (t) => {
  const ws = workspace(t);
  const a = join(ws.root, 'a');
  const noNode = ws.config('no-node.properties', combined(a, { 'node.id': undefined }));
  const run = await format(noNode);
  t.equal(run.code, 1);
  t.equal(run.stderr, `${noNode}: node.id: Missing configuration \`node.id\` which is required ` +
    'when `process.roles` is defined (i.e. when running in KRaft mode).\n');
  const badVoters = ws.config('bad.properties',
    combined(a, { 'controller.quorum.voters': '1@localhost', 'num.partitions': 'x' }));
  const bad = await format(badVoters);
  t.equal(bad.code, 1);
  t.equal(bad.stderr,
    `${badVoters}:3: controller.quorum.voters: '1@localhost' is not id@host:port\n` +
    `${badVoters}:7: num.partitions: 'x' is not an integer\n`, 'one line per error');
  t.notOk(existsSync(a), 'nothing was written');

  const unknown = ws.config('unknown.properties', combined(a, { 'zookeeper.connect': 'zk:2181' }));
  const warned = await format(unknown);
  t.equal(warned.code, 0);
  t.equal(warned.stderr, `WARN ${unknown}:7: The configuration 'zookeeper.connect' was ` +
    "supplied but isn't a known config.\n");
  const missing = join(ws.root, 'nope.properties');
  const unreadable = await kafkaStorage('info', '-c', missing);
  t.equal(unreadable.code, 1);
  t.equal(unreadable.stderr,
    `${missing}: cannot read the configuration file: ENOENT: no such file or directory\n`);
});

t.test('a directory that cannot be created or read fails with one clear line', async (t) => {
  const ws = workspace(t);
  const file = join(ws.root, 'regular-file');
  writeFileSync(file, 'x');
  const underFile = join(file, 'logs');
  const run = await format(ws.config('under-file.properties', combined(underFile)));
  t.equal(run.code, 1);
  t.equal(run.stdout, `I/O error trying to read log directory ${underFile} (ENOTDIR: not a ` +
    'directory). Ignoring...\n');
  t.equal(run.stderr, 'No available log directories to format.\n');

  symlinkSync(join(ws.root, 'nowhere'), join(ws.root, 'dangling'));
  const dangling = join(ws.root, 'dangling', 'logs');
  const viaLink = await format(ws.config('link.properties', combined(dangling)));
  t.equal(viaLink.code, 1);
  t.match(viaLink.stderr,
    new RegExp(`^Error while writing meta.properties file ${dangling}: E[A-Z]+: [^\\n]+\\n$`));
  t.notMatch(viaLink.stderr, STACK_FRAME, 'no stack trace');
});

t.test('KIP-853 flags: --standalone, the voters-not-set message, --release-version', async (t) => {
  const ws = workspace(t);
  const a = join(ws.root, 'a');
  const dynamic = ws.config('dynamic.properties', combined(a, {
    'controller.quorum.voters': undefined,
    'controller.quorum.bootstrap.servers': 'localhost:9093',
  }));
  const none = await format(dynamic);
  t.equal(none.code, 1);
  t.equal(none.stderr, 'Because controller.quorum.voters is not set on this controller, you ' +
    'must specify one of the following: --standalone, --initial-controllers, or ' +
    '--no-initial-controllers.\n');
  const standalone = await format(dynamic, '-s', '-r', '3.7');
  t.equal(standalone.code, 0, standalone.stderr);
  t.equal(standalone.stdout,
    `Formatting dynamic metadata voter directory ${a} with metadata.version 3.7-IV4.\n`);
  const checkpoint = JSON.parse(readFileSync(join(a, 'bootstrap.checkpoint'), 'utf8'));
  const directoryId = directoryIdOf(a);
  t.same(checkpoint.initialVoters, [{ id: 1, host: 'localhost', port: 9093, directoryId }]);
  t.equal(checkpoint.kraftVersion, 1);

  const broker = ws.config('broker.properties', brokerOnly(join(ws.root, 'b')));
  const onBroker = await format(broker, '-s');
  t.equal(onBroker.code, 1);
  t.equal(onBroker.stderr, 'You can only use --standalone on a controller.\n');
  const badVersion = await format(broker, '-r', '9.9-IV9');
  t.equal(badVersion.code, 1);
  t.match(badVersion.stderr,
    /^Unknown release version '9.9-IV9'\. Supported metadata.version values are 3\.0-IV1 to/);
});

t.test('usage errors: unknown command or flag, missing arguments, conflicting flags', async (t) => {
  const cases = [
    [], ['nope'], ['format', '-c', 'x'], ['random-uuid', '--bogus'], ['format', '-t'],
    ['format', '-s', '-N', '-t', 'x', '-c', 'y'],
  ];
  for (const args of cases) {
    const run = await kafkaStorage(...args);
    t.equal(run.code, 1, `${args.join(' ')}: exit 1`);
    t.match(run.stderr, /^kafka-storage: error: .+ \(see kafka-storage --help\)\n$/);
  }
  const help = await kafkaStorageCommand('--help');
  t.equal(help.code, 0);
  t.match(help.stdout, /random-uuid/);
});

t.test('info reports formatted, unformatted, missing and mismatched directories', async (t) => {
  const ws = workspace(t);
  const [a, b, c] = ['a', 'b', 'c'].map((name) => join(ws.root, name)) as [string, string, string];
  const config = ws.config('server.properties', combined(a));
  await format(config);
  const metadata = `Found metadata: {cluster.id=${CLUSTER}, directory.id=${directoryIdOf(a)}, ` +
    'node.id=1, version=1}\n\n';
  const good = await kafkaStorage('info', '-c', config);
  t.equal(good.code, 0);
  t.equal(good.stdout, `Found log directory:\n  ${a}\n\n${metadata}`);

  mkdirSync(b);
  const unformatted = await kafkaStorage('info', '-c', config, '--override',
    `log.dirs=${a},${b},${c}`);
  t.equal(unformatted.code, 1);
  t.equal(unformatted.stdout, `Found log directories:\n  ${a}\n  ${b}\n\n${metadata}` +
    `Found problems:\n  ${b} is not formatted.\n  ${c} does not exist\n\n`);

  await kafkaStorage('format', '-t', 'another-cluster', '-c',
    ws.config('b.properties', combined(b)));
  const clusters = await kafkaStorage('info', '-c', config, '--override', `log.dirs=${a},${b}`);
  t.equal(clusters.code, 1);
  t.match(clusters.stdout,
    /\nFound problem:\n {2}Mismatched cluster IDs between storage directories\.\n\n$/);

  await format(ws.config('c.properties', brokerOnly(c)));
  const nodes = await kafkaStorage('info', '-c', config, '--override', `log.dirs=${a},${c}`);
  t.equal(nodes.code, 1);
  t.match(nodes.stdout,
    /\nFound problem:\n {2}Mismatched node IDs between storage directories\.\n\n$/);
});

t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
  const ws = workspace(t);
  const a = join(ws.root, 'a');
  const config = ws.config('server.properties', combined(a));
  await format(config);
  const [uuid, again, usage] = await Promise.all([
    kafkaStorageCommand('random-uuid'),
    kafkaStorageCommand('format', '-t', CLUSTER, '-c', config),
    kafkaStorageCommand('nope'),
  ]);
  t.equal(uuid.code, 0);
  t.equal(uuid.stderr, '');
  t.match(uuid.stdout, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}\n$/);
  t.equal(again.code, 1, 'a failed format exits 1');
  t.equal(again.stderr, `Log directory ${a} is already formatted. Use --ignore-formatted to ` +
    'ignore this directory and format the others.\n');
  t.equal(usage.code, 1, 'bad arguments exit 1');
  t.match(usage.stderr, /^kafka-storage: error: .+ \(see kafka-storage --help\)\n$/);
});
