import t from 'tap';
import {
  consumerPerfJson, headerLine, progressRow, runConsumerPerf, summaryLine,
} from '../../cli/perf/consumer-perf.js';
import { formatDate } from '../../cli/perf/format.js';
import { startDataCluster } from '../unit/client-data/fixtures/data-broker.js';
import { runInProcess, runTool } from '../harness/tool-runner.js';

// The engine runs in this process (cli/perf/consumer-perf-tool.ts); 'the command' at the end
// runs the built tool for what only the process does.
const perf = (args: readonly string[]) => runInProcess('kafka-consumer-perf-test', args);
const date = (ms: number) => formatDate('yyyy-MM-dd HH:mm:ss:SSS', ms);

t.test('the header and rows are ConsumerPerformance\'s formats', async (t) => {
  t.equal(headerLine(false), 'start.time, end.time, data.consumed.in.MB, MB.sec, ' +
    'data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, ' +
    'fetch.nMsg.sec');
  t.equal(headerLine(true).slice(0, 34), 'time, threadId, data.consumed.in.M');
  const start = new Date(2024, 4, 6, 7, 8, 9, 10).getTime();
  const stats = { records: 1000, bytes: 1024 * 1024, startMs: start, endMs: start + 2000,
    joinTimeMs: 500, fetchTimeMs: 1500, recordsPerSec: 500, mbPerSec: 0.5, timedOut: false };
  t.equal(summaryLine(stats), `${date(start)}, ${date(start + 2000)}, 1.0000, 0.5000, 1000, ` +
    '500.0000, 500, 1500, 0.6667, 666.6667');
  t.equal(progressRow({ bytes: 2 * 1024 * 1024, lastBytes: 1024 * 1024, records: 200,
    lastRecords: 100, startMs: start, endMs: start + 1000, joinTimeMs: 0 }),
  `${date(start + 1000)}, 0, 2.0000, 1.0000, 200, 100.0000, 0, 1000, 1.0000, 100.0000`);
  t.strictSame(JSON.parse(consumerPerfJson(stats)),
    { bench: 'consume', records: 1000, recordsPerSec: 500, mbPerSec: 0.5 });
});

t.test('argument errors print one line and exit 1', async (t) => {
  const cases: [string[], string][] = [
    [[], 'This tool is used to verify the consumer performance.'],
    [['--bootstrap-server', '127.0.0.1:1', '--messages', '1'],
      'Missing required argument "[topic]"'],
    [['--bootstrap-server', '127.0.0.1:1', '--topic', 't'],
      'Missing required argument "[messages]"'],
    [['--topic', 't', '--messages', '1'], 'Missing required argument "[bootstrap-server]"'],
    [['--bootstrap-server', '127.0.0.1:1', '--topic', 't', '--messages', 'lots'],
      "Cannot parse argument 'lots' of option messages"],
    [['--bootstrap-server', '127.0.0.1:1', '--topic', 't', '--messages', '1',
      '--reporting-interval', '0'], 'Reporting interval must be greater than 0.'],
  ];
  for (const [args, stderr] of cases) {
    const run = await perf(args);
    t.equal(run.stderr, `${stderr}\n`, args.join(' ') || '(no arguments)');
    t.equal(run.code, 1);
  }
});

t.test('runConsumerPerf reads every partition from the beginning', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('load', 2);
  cluster.state.seed('load', 0, Array.from({ length: 300 }, () => 'abcd'));
  cluster.state.seed('load', 1, Array.from({ length: 200 }, () => 'abcd'));
  const lines: string[] = [];
  const stats = await runConsumerPerf({ bootstrapServer: cluster.addresses[0]!, topic: 'load',
    messages: 500, timeoutMs: 5_000 }, (line) => lines.push(line));
  t.equal(stats.records, 500);
  t.equal(stats.bytes, 2000);
  t.notOk(stats.timedOut);
  t.equal(lines[0], headerLine(false));
  t.match(lines[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, .*, 0\.0019, [\d.]+, 500, /);
  t.equal(lines.length, 2);
});

t.test('the tool stops with Kafka\'s WARNING when records stop coming', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('short', 1);
  cluster.state.seed('short', 0, ['a', 'b']);
  const run = await perf(['--bootstrap-server', cluster.addresses[0]!, '--topic', 'short',
    '--messages', '10', '--timeout', '500', '--hide-header', '--json']);
  t.equal(run.code, 0);
  const lines = run.stdout.split('\n');
  t.equal(lines[0], 'WARNING: Exiting before consuming the expected number of messages: ' +
    'timeout (500 ms) exceeded. You can use the --timeout option to increase the timeout.');
  t.match(lines[1], /, 2, /);
  t.match(JSON.parse(lines[2]!), { bench: 'consume', records: 2 });
  t.equal(lines.length, 4);
});

t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('load', 1);
  cluster.state.seed('load', 0, ['a', 'b', 'c']);
  const [run, usage, help] = await Promise.all([
    runTool('kafka-consumer-perf-test', ['--bootstrap-server', cluster.addresses[0]!, '--topic',
      'load', '--messages', '3', '--timeout', '5000', '--json']),
    runTool('kafka-consumer-perf-test', ['--topic', 't', '--messages', '1']),
    runTool('kafka-consumer-perf-test', ['--help']),
  ]);
  t.equal(run.stderr, '');
  t.equal(run.code, 0);
  const lines = run.stdout.split('\n');
  t.equal(lines[0], headerLine(false));
  t.match(lines[1], /, 3, /);
  t.match(JSON.parse(lines[2]!), { bench: 'consume', records: 3 });
  t.equal(usage.stderr, 'Missing required argument "[bootstrap-server]"\n');
  t.equal(usage.code, 1, 'bad arguments exit 1');
  t.equal(help.code, 0, '--help exits 0');
  t.match(help.stdout, /--messages/);
});
