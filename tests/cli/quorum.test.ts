import t from 'tap';
import { ErrorCode } from '../../protocol/index.js';
import { startFakeCluster } from '../unit/client/fixtures/fake-broker.js';
import type { FakeCluster } from '../unit/client/fixtures/fake-broker.js';
import { sampleQuorum } from '../unit/client/fixtures/fake-state.js';
import { STACK_FRAME, runInProcess, runTool } from '../harness/tool-runner.js';

let cluster: FakeCluster;
t.beforeEach(async () => {
  cluster = await startFakeCluster(2);
});
t.afterEach(() => cluster.stop());

// The engine runs in this process (cli/quorum/quorum-tool.ts); 'the command' at the end runs
// the built tool for what only the process does.
const inProcess = (args: readonly string[]) => runInProcess('kafka-metadata-quorum', args);
const quorum = (...args: string[]) =>
  inProcess(['--bootstrap-server', cluster.addresses.join(','), ...args]);

const STATUS =
  'ClusterId:              MkU3OEVBNTcwNTJENDM2Qg\n' +
  'LeaderId:               1\n' +
  'LeaderEpoch:            5\n' +
  'HighWatermark:          250\n' +
  'MaxFollowerLag:         5\n' +
  'MaxFollowerLagTimeMs:   100\n' +
  'CurrentVoters:          [{"id": 1, "directoryId": "x7kqzQW9TjGfMX8XqXKqLw", "endpoints": ' +
  '["CONTROLLER://localhost:9093"]}, {"id": 2, "directoryId": null, "endpoints": ' +
  '["CONTROLLER://localhost:9094"]}, {"id": 3, "directoryId": "fgKW2ZbTQ0yh5fVdh6GqGQ", ' +
  '"endpoints": ["CONTROLLER://localhost:9095"]}]\n' +
  'CurrentObservers:       [{"id": 4, "directoryId": null}]\n';

t.test('describe --status prints Kafka\'s labels padded to 24 columns', async (t) => {
  const run = await quorum('describe', '--status');
  t.equal(run.stderr, '');
  t.equal(run.stdout, STATUS);
  t.equal(run.code, 0);
  const viaController = await inProcess(
    ['--bootstrap-controller', cluster.addresses[1]!, 'describe', '--status']);
  t.equal(viaController.stdout, STATUS, '--bootstrap-controller is served the same way');
});

t.test('MaxFollowerLagTimeMs is 0 when the leader is the laggiest voter (Java Stream.min)', async (t) => {
  const q = sampleQuorum();
  q.currentVoters = q.currentVoters.map((v) => ({ ...v, logEndOffset: 260 }));
  cluster.state.quorum = q;
  const run = await quorum('describe', '--status');
  t.match(run.stdout, /\nMaxFollowerLag:         0\nMaxFollowerLagTimeMs:   0\n/);
});

t.test('describe --replication prints the padded, tab-separated table', async (t) => {
  const run = await quorum('describe', '--replication');
  t.equal(run.stderr, '');
  t.equal(run.code, 0);
  t.equal(run.stdout,
    'NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t\n' +
    '1     \tx7kqzQW9TjGfMX8XqXKqLw\t260         \t0  \t1700000000000     \t1700000000000        \tLeader  \t\n' +
    '2     \tAAAAAAAAAAAAAAAAAAAAAA\t255         \t5  \t1699999999980     \t1699999999900        \tFollower\t\n' +
    '3     \tfgKW2ZbTQ0yh5fVdh6GqGQ\t260         \t0  \t1699999999995     \t1699999999995        \tFollower\t\n' +
    '4     \tAAAAAAAAAAAAAAAAAAAAAA\t240         \t20 \t-1                \t-1                   \tObserver\t\n');
});

t.test('describe --replication --human-readable shows ages', async (t) => {
  const run = await quorum('describe', '--replication', '--human-readable');
  t.equal(run.code, 0);
  const rows = run.stdout.trimEnd().split('\n').map((line) => line.split('\t').map((c) => c.trim()));
  t.match(rows[1], ['1', 'x7kqzQW9TjGfMX8XqXKqLw', '260', '0', /^\d+ ms ago$/, /^\d+ ms ago$/, 'Leader']);
  t.match(rows[4], ['4', 'AAAAAAAAAAAAAAAAAAAAAA', '240', '20', '-1', '-1', 'Observer']);
});

t.test('bad arguments: one line on stderr, exit 1', async (t) => {
  const bs = cluster.addresses[0]!;
  const cases: [string[], string][] = [
    [['describe', '--status'], 'kafka-metadata-quorum: error: one of the arguments ' +
      '--bootstrap-server --bootstrap-controller is required'],
    [['--bootstrap-server', bs, '--bootstrap-controller', bs, 'describe', '--status'],
      'kafka-metadata-quorum: error: argument --bootstrap-controller: not allowed with argument ' +
      '--bootstrap-server'],
    [['--bootstrap-server', bs], 'kafka-metadata-quorum: error: too few arguments'],
    [['--bootstrap-server', bs, 'explain'],
      "kafka-metadata-quorum: error: argument command: invalid choice: 'explain' (choose from 'describe')"],
    [['--bootstrap-server', bs, 'describe', '--status', '--verbose'],
      "kafka-metadata-quorum: error: unrecognized arguments: '--verbose'"],
    [['--bootstrap-server'], 'kafka-metadata-quorum: error: argument --bootstrap-server: expected one argument'],
    [['--bootstrap-server', bs, 'describe'],
      'One of --status or --replication must be specified with describe sub-command'],
    [['--bootstrap-server', bs, 'describe', '--status', '--replication'],
      'Only one of --status or --replication should be specified with describe sub-command'],
    [['--bootstrap-server', bs, 'describe', '--status', '--human-readable'],
      'The option --human-readable is only supported along with --replication'],
    [['--bootstrap-server', bs, '--command-config', '/nonexistent/admin.properties', 'describe',
      '--status'], 'Properties file /nonexistent/admin.properties does not exist.'],
  ];
  const runs = await Promise.all(cases.map(([args]) => inProcess(args)));
  cases.forEach(([args, message], i) => {
    t.equal(runs[i]!.stderr, `${message}\n`, args.join(' '));
    t.equal(runs[i]!.stdout, '');
    t.equal(runs[i]!.code, 1);
  });
  t.equal(cluster.brokers[0]!.received.length, 0, 'no request was sent');
});

t.test('a failed DescribeQuorum is one line on stderr and exit 1', async (t) => {
  cluster.brokers[0]!.inject({ api: 'DescribeQuorum', kind: 'envelope-error',
    errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'no quorum here', count: 1 });
  const run = await inProcess(
    ['--bootstrap-server', cluster.addresses[0]!, 'describe', '--replication']);
  t.equal(run.stderr, 'no quorum here\n');
  t.equal(run.code, 1);
  cluster.state.quorum = { ...sampleQuorum(), leaderId: -1 };
  const leaderless = await quorum('describe', '--status');
  t.equal(leaderless.stderr, 'The metadata quorum has no leader (LeaderId: -1).\n');
  t.equal(leaderless.code, 1);
  t.notMatch(leaderless.stderr, STACK_FRAME);
});

t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
  const [run, usage, help] = await Promise.all([
    runTool('kafka-metadata-quorum',
      ['--bootstrap-server', cluster.addresses.join(','), 'describe', '--status']),
    runTool('kafka-metadata-quorum', ['describe', '--status']),
    runTool('kafka-metadata-quorum', ['--help']),
  ]);
  t.equal(run.stdout, STATUS);
  t.equal(run.stderr, '');
  t.equal(run.code, 0);
  t.equal(usage.stderr, 'kafka-metadata-quorum: error: one of the arguments ' +
    '--bootstrap-server --bootstrap-controller is required\n');
  t.equal(usage.stdout, '');
  t.equal(usage.code, 1, 'bad arguments exit 1');
  t.equal(help.code, 0, '--help exits 0');
  t.match(help.stdout, /--bootstrap-server/);
  t.equal(help.stderr, '');
});
