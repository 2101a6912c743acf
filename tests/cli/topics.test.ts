import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, HOST, startFakeCluster } from '../unit/client/fixtures/fake-broker.js';
import type { FakeCluster } from '../unit/client/fixtures/fake-broker.js';
import { STACK_FRAME, runInProcess, runTool } from '../harness/tool-runner.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

let cluster: FakeCluster;
t.beforeEach(async () => {
  cluster = await startFakeCluster(3);
});
t.afterEach(() => cluster.stop());

// The engine runs in this process (cli/topics/topics-tool.ts); 'the command' tests at the end
// run the built tool for what only the process does.
const inProcess = (args: readonly string[]) => runInProcess('kafka-topics', args);
const topics = (...args: string[]) =>
  inProcess(['--bootstrap-server', cluster.addresses.join(','), ...args]);

async function ok(t: TapTest, args: string[], stdout: string) {
  const run = await topics(...args);
  t.equal(run.stderr, '', `${args.join(' ')}: nothing on stderr`);
  t.equal(run.stdout, stdout, `${args.join(' ')}: output`);
  t.equal(run.code, 0, `${args.join(' ')}: exit 0`);
}

async function fails(t: TapTest, args: string[], message: string) {
  const run = await topics(...args);
  t.equal(run.stdout, `Error while executing topic command : ${message}\n`, args.join(' '));
  t.equal(run.code, 1, `${args.join(' ')}: exit 1`);
  t.notMatch(run.stderr, STACK_FRAME);
}

t.test('--create prints Created topic and makes the topic as asked', async (t) => {
  await ok(t, ['--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '2',
    '--config', 'cleanup.policy=compact', '--config', 'retention.ms = 1000'],
  'Created topic orders.\n');
  const orders = cluster.state.topics.get('orders')!;
  t.same(orders.partitions.map((p) => p.replicas), [[1, 2], [2, 3], [3, 1]]);
  t.same([...orders.configs], [['cleanup.policy', 'compact'], ['retention.ms', '1000']]);
  await ok(t, ['--create', '--topic', 'manual', '--replica-assignment', '3:1,2:3'],
    'Created topic manual.\n');
  t.same(cluster.state.topics.get('manual')!.partitions.map((p) => p.replicas), [[3, 1], [2, 3]]);
});

t.test('--create warns about names with a period or underscore', async (t) => {
  await ok(t, ['--create', '--topic', 'my_events.v1'],
    "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore " +
    "('_') could collide. To avoid issues it is best to use either, but not both.\n" +
    'Created topic my_events.v1.\n');
});

t.test('--create of an existing topic fails unless --if-not-exists', async (t) => {
  await ok(t, ['--create', '--topic', 'orders'], 'Created topic orders.\n');
  await fails(t, ['--create', '--topic', 'orders'], "Topic 'orders' already exists.");
  await ok(t, ['--create', '--topic', 'orders', '--if-not-exists'], '');
});

t.test('--create reports invalid requests with Kafka messages', async (t) => {
  await fails(t, ['--create', '--topic', 'a', '--replication-factor', '4'], 'Unable to replicate ' +
    'the partition 4 time(s): The target replication factor of 4 cannot be reached because only ' +
    '3 broker(s) are registered.');
  await fails(t, ['--create', '--topic', 'a', '--replication-factor', '0'],
    'The replication factor must be between 1 and 32767 inclusive');
  await fails(t, ['--create', '--topic', 'a', '--partitions', '0'],
    'The partitions must be greater than 0');
  await fails(t, ['--create', '--topic', 'a', '--config', 'retention.ms'], 'requirement failed: ' +
    'Invalid topic config: all configs to be added must be in the format "key=val".');
  await fails(t, ['--create', '--topic', 'a', '--config', 'colour=blue'],
    'Unknown topic config name: colour');
  await fails(t, ['--create', '--topic', 'bad/name'], 'Topic name "bad/name" is illegal, it ' +
    "contains a character other than ASCII alphanumerics, '.', '_' and '-'");
  await fails(t, ['--create', '--topic', 'a', '--replica-assignment', '1:1'],
    'Partition replica lists may not contain duplicate entries: 1');
  t.equal(cluster.state.topics.size, 0, 'nothing was created');
});

t.test('--list prints sorted names, filtered by a --topic regex', async (t) => {
  await ok(t, ['--list'], '\n');
  for (const name of ['zeta', 'alpha', 'beta-1', 'beta-2']) {
    await ok(t, ['--create', '--topic', name], `Created topic ${name}.\n`);
  }
  await ok(t, ['--list'], 'alpha\nbeta-1\nbeta-2\nzeta\n');
  await ok(t, ['--list', '--topic', 'beta.*'], 'beta-1\nbeta-2\n');
  await ok(t, ['--list', '--topic', 'alpha,zeta'], 'alpha\nzeta\n');
});

t.test('--describe prints the topic and partition lines, tab-separated', async (t) => {
  await topics('--create', '--topic', 'orders', '--partitions', '2', '--replication-factor', '3',
    '--config', 'retention.ms=1000');
  await topics('--create', '--topic', 'audit');
  const id = (name: string) => cluster.state.topics.get(name)!.topicId;
  const expected =
    `Topic: audit\tTopicId: ${id('audit')}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n` +
    '\tTopic: audit\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: \n' +
    `Topic: orders\tTopicId: ${id('orders')}\tPartitionCount: 2\tReplicationFactor: 3\t` +
    'Configs: retention.ms=1000\n' +
    '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\tElr: \tLastKnownElr: \n' +
    '\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3,1\tElr: \tLastKnownElr: \n';
  await ok(t, ['--describe'], expected);
  await ok(t, ['--describe', '--topic', 'aud.*'], expected.split('Topic: orders\tTopicId')[0]!);
});

t.test('--describe filters show only matching partition lines, no topic line', async (t) => {
  await topics('--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '2');
  const [p0, p1, p2] = cluster.state.topics.get('orders')!.partitions;
  p0!.isr = [1];
  p1!.leader = -1;
  p2!.leader = 9; // not a live broker
  await ok(t, ['--describe', '--under-replicated-partitions'],
    '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1\tElr: \tLastKnownElr: \n');
  await ok(t, ['--describe', '--topic', 'orders', '--unavailable-partitions'],
    '\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,3\tIsr: 2,3\tElr: \tLastKnownElr: \n' +
    '\tTopic: orders\tPartition: 2\tLeader: 9\tReplicas: 3,1\tIsr: 3,1\tElr: \tLastKnownElr: \n');
});

t.test('--describe, --alter and --delete of a missing topic fail unless --if-exists', async (t) => {
  for (const action of [['--describe'], ['--delete'], ['--alter', '--partitions', '2']]) {
    await fails(t, [...action, '--topic', 'nope'], "Topic 'nope' does not exist as expected");
    await ok(t, [...action, '--topic', 'nope', '--if-exists'], '');
  }
});

t.test('--alter adds partitions; --delete removes topics', async (t) => {
  await topics('--create', '--topic', 'orders', '--partitions', '2');
  await ok(t, ['--alter', '--topic', 'orders', '--partitions', '4'], '');
  t.equal(cluster.state.topics.get('orders')!.partitions.length, 4);
  await fails(t, ['--alter', '--topic', 'orders', '--partitions', '3'],
    'The topic orders currently has 4 partition(s); 3 would not be an increase.');
  await ok(t, ['--delete', '--topic', 'orders'], '');
  t.equal(cluster.state.topics.has('orders'), false);
});

t.test('bad arguments: one line on stderr, exit 1, nothing on stdout', async (t) => {
  const bs = cluster.addresses[0]!;
  const cases: [string[], string][] = [
    [[], 'Create, delete, describe, or change a topic.'],
    [['--bootstrap-server', bs], 'Command must include exactly one action: --list, --describe, ' +
      '--create, --alter or --delete'],
    [['--bootstrap-server', bs, '--list', '--create'], 'Command must include exactly one ' +
      'action: --list, --describe, --create, --alter or --delete'],
    [['--list'], '--bootstrap-server must be specified'],
    [['--bootstrap-server', bs, '--create'], 'Missing required argument "[topic]"'],
    [['--bootstrap-server', bs, '--alter', '--topic', 'a'], 'Missing required argument "[partitions]"'],
    [['--bootstrap-server', bs, '--describe', '--if-exists'],
      '--topic or --topic-id is required to describe a topic'],
    [['--bootstrap-server', bs, '--list', '--partitions', '3'],
      'Option "[partitions]" can\'t be used with option "[list]"'],
    [['--bootstrap-server', bs, '--describe', '--replication-factor', '3'],
      'Option "[replication-factor]" can\'t be used with option "[describe]"'],
    [['--bootstrap-server', bs, '--delete', '--topic', 'a', '--if-not-exists'],
      'Option "[if-not-exists]" can\'t be used with option "[delete]"'],
    [['--bootstrap-server', bs, '--create', '--topic', 'a', '--under-replicated-partitions'],
      'Option "[under-replicated-partitions]" can\'t be used with option "[create]"'],
    [['--bootstrap-server', bs, '--create', '--topic', 'a', '--replica-assignment', '1',
      '--partitions', '1'], 'Option "[replica-assignment]" can\'t be used with option "[partitions]"'],
    [['--bootstrap-server', bs, '--alter', '--topic', 'a', '--partitions', '2', '--config', 'a=b'],
      'Option "[config]" can\'t be used with option "[alter]" (To alter topic configurations, ' +
      'the kafka-configs tool can be used.)'],
    [['--bootstrap-server', bs, '--create', '--topic', 'a', '--partitions', 'three'],
      "Cannot parse argument 'three' of option partitions"],
    [['--bootstrap-server', bs, '--list', '--colour'], 'colour is not a recognized option'],
    [['--bootstrap-server', bs, '--list', '--topic'], 'Option topic requires an argument'],
    [['--bootstrap-server', 'nohost', '--list'], 'Invalid url in bootstrap.servers: nohost'],
  ];
  const runs = await Promise.all(cases.map(([args]) => inProcess(args)));
  cases.forEach(([args, message], i) => {
    const run = runs[i]!;
    t.equal(run.stderr, `${message}\n`, args.join(' ') || '(no arguments)');
    t.equal(run.stdout, '');
    t.equal(run.code, 1);
  });
  t.equal(cluster.brokers.reduce((n, b) => n + b.received.length, 0), 0, 'no request was sent');
});

t.test('--help prints usage and exits 0', async (t) => {
  const run = await inProcess(['--help']);
  t.equal(run.code, 0);
  t.match(run.stdout, /--bootstrap-server/);
});

t.test('bootstrap fails over to a live broker; no live broker is a command error', async (t) => {
  const dead = `${HOST}:${await closedPort()}`;
  const run = await inProcess(['--bootstrap-server', `${dead},${cluster.addresses[2]}`,
    '--create', '--topic', 'failover']);
  t.equal(run.stdout, 'Created topic failover.\n');
  const down = await inProcess(['--bootstrap-server', dead, '--list']);
  t.equal(down.code, 1);
  t.match(down.stdout, new RegExp('^Error while executing topic command : Failed to connect to ' +
    `any broker: Connection error: connect ECONNREFUSED ${dead.replaceAll('.', '\\.')}`));
  t.equal(down.stdout.split('\n').length, 2, 'one line');
  t.notMatch(down.stderr, STACK_FRAME);
});

t.test('--command-config is read; unknown keys warn, a missing file is an error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'raftka-topics-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'admin.properties');
  writeFileSync(file, '# admin client\nclient.id=ops-tool\nrequest.timeout.ms=5000\nsasl.mechanism=PLAIN\n');
  const run = await topics('--list', '--command-config', file);
  t.equal(run.code, 0);
  t.equal(run.stderr, "WARN The configuration 'sasl.mechanism' was supplied but isn't a known config.\n");
  t.equal(cluster.brokers[0]!.received[0]?.clientId, 'ops-tool', 'client.id from the file');
  const missing = join(dir, 'nope.properties');
  const absent = await topics('--list', '--command-config', missing);
  t.equal(absent.stderr, `Properties file ${missing} does not exist.\n`);
  t.equal(absent.code, 1);
  writeFileSync(file, 'request.timeout.ms=soon\n');
  const bad = await topics('--list', '--command-config', file);
  t.equal(bad.stderr, 'Invalid value soon for configuration request.timeout.ms: Not a number of type INT\n');
  t.equal(bad.code, 1);
});

t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
  await ok(t, ['--create', '--topic', 'orders'], 'Created topic orders.\n');
  const [help, exists, usage] = await Promise.all([
    runTool('kafka-topics', ['--help']),
    runTool('kafka-topics', ['--bootstrap-server', cluster.addresses.join(','), '--create',
      '--topic', 'orders']),
    runTool('kafka-topics', ['--list']),
  ]);
  t.equal(help.code, 0, '--help exits 0');
  t.match(help.stdout, /--bootstrap-server/);
  t.equal(help.stderr, '');
  t.equal(exists.stdout, "Error while executing topic command : Topic 'orders' already exists.\n");
  t.equal(exists.code, 1, 'a failed command exits 1');
  t.notMatch(exists.stderr, STACK_FRAME);
  t.equal(usage.stderr, '--bootstrap-server must be specified\n');
  t.equal(usage.stdout, '');
  t.equal(usage.code, 1, 'bad arguments exit 1');
});
