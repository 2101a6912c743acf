import t from 'tap';
import { formatDate } from '../../cli/perf/format.js';
import {
  producerPerfJson, progressLine, runProducerPerf, totalLine,
} from '../../cli/perf/producer-perf.js';
import type { ProducerPerfStats } from '../../cli/perf/producer-perf.js';
import { startDataCluster } from '../unit/client-data/fixtures/data-broker.js';
import { STACK_FRAME, runInProcess, runTool } from '../harness/tool-runner.js';

// The engine runs in this process (cli/perf/producer-perf-tool.ts); 'the command' at the end
// runs the built tool for what only the process does.
const perf = (args: readonly string[]) => runInProcess('kafka-producer-perf-test', args);

const stats: ProducerPerfStats = {
  acks: -1, records: 1000, failed: 0, bytes: 100_000, elapsedMs: 500, recordsPerSec: 2000,
  mbPerSec: 0.19073486328125, avgMs: 3.456, maxMs: 12.5, p50Ms: 2.9, p95Ms: 8.2, p99Ms: 11.99,
  p999Ms: 12.5,
};

t.test('the total line is ProducerPerformance.printTotal\'s format', async (t) => {
  t.equal(totalLine(stats), '1000 records sent, 2000.000000 records/sec (0.19 MB/sec), ' +
    '3.46 ms avg latency, 12.50 ms max latency, 2 ms 50th, 8 ms 95th, 11 ms 99th, 12 ms 99.9th.');
  t.match(totalLine({ ...stats, records: 0, avgMs: NaN, recordsPerSec: 0 }),
    /^0 records sent, 0\.000000 records\/sec \(0\.19 MB\/sec\), NaN ms avg latency, /,
    'no records: NaN average, as Java prints it');
});

t.test('the progress line is printWindow\'s format', async (t) => {
  t.equal(progressLine({ records: 25_000, bytes: 2_500_000, elapsedMs: 5_000,
    totalLatencyMs: 25_000 * 4.25, maxLatencyMs: 31 }),
  '25000 records sent, 5000.0 records/sec (0.48 MB/sec), 4.3 ms avg latency, ' +
    '31.0 ms max latency.');
});

t.test('the JSON line carries the same numbers', async (t) => {
  t.strictSame(JSON.parse(producerPerfJson(stats)), { bench: 'produce', acks: -1,
    records: 1000, recordsPerSec: 2000, mbPerSec: 0.191, avgMs: 3.456, maxMs: 12.5,
    p50Ms: 2.9, p95Ms: 8.2, p99Ms: 11.99, p999Ms: 12.5 });
});

t.test('dates format as SimpleDateFormat does, in local time', async (t) => {
  const at = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();
  t.equal(formatDate('yyyy-MM-dd HH:mm:ss:SSS', at), '2024-01-02 03:04:05:006');
  t.equal(formatDate("yy/M/d 'at' H", at), '24/1/2 at 3');
});

t.test('argument errors print argparse4j\'s one-line message and exit 1', async (t) => {
  const props = ['--producer-props', 'bootstrap.servers=127.0.0.1:1'];
  const cases: [string[], string][] = [
    [['--num-records', '1', '--throughput', '-1', '--record-size', '1', ...props],
      'argument --topic is required'],
    [['--topic', 't', '--num-records', '1', '--throughput', '-1', ...props],
      'one of the arguments --record-size --payload-file --payload-monotonic is required'],
    [['--topic', 't', '--num-records', '1', '--throughput', '-1', '--record-size', '1',
      '--payload-monotonic', ...props],
    'argument --payload-monotonic: not allowed with argument --record-size'],
    [['--topic', 't', '--num-records', 'many', '--throughput', '-1', '--record-size', '1',
      ...props], 'argument --num-records: could not convert \'many\' to Long (For input ' +
      'string: "many")'],
    [['--topic', 't', '--num-records', '1', '--throughput', '-1', '--record-size', '1'],
      'Either --producer-props or --producer.config must be specified.'],
    [['--topic', 't', '--num-records', '1', '--throughput', '-1', '--record-size', '1',
      '--colour', ...props], "unrecognized arguments: '--colour'"],
  ];
  for (const [args, message] of cases) {
    const run = await perf(args);
    t.equal(run.stderr, `producer-performance: error: ${message}\n`, message);
    t.equal(run.code, 1);
  }
  const bad = await perf(['--topic', 't', '--num-records', '1', '--throughput', '-1',
    '--record-size', '1', '--producer-props', 'acks=1']);
  t.equal(bad.stderr, 'Missing required configuration "bootstrap.servers" which has no ' +
    'default value.\n');
  t.equal(bad.code, 1);
  const help = await perf([]);
  t.equal(help.code, 0, 'no arguments print the help and exit 0, as Kafka');
  t.match(help.stdout, /--num-records/);
});

t.test('runProducerPerf against the fake data broker', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('perf', 3);
  const lines: string[] = [];
  const result = await runProducerPerf({
    topic: 'perf', numRecords: 3000, payload: { kind: 'random', recordSize: 50 },
    throughput: -1, producerProperties: new Map([['bootstrap.servers', cluster.addresses[0]!],
      ['acks', '1'], ['linger.ms', '2']]),
    reportingIntervalMs: 0, maxInFlightSends: 500,
  }, (line) => lines.push(line));
  t.equal(result.records, 3000);
  t.equal(result.failed, 0);
  t.equal(result.acks, 1);
  t.equal(result.bytes, 150_000);
  t.ok(result.p50Ms <= result.p99Ms && result.p99Ms <= result.maxMs, 'percentiles are ordered');
  const rate = String.raw`[\d.]+ records/sec \([\d.]+ MB/sec\), [\d.]+ ms avg latency, ` +
    String.raw`[\d.]+ ms max latency`;
  t.match(lines.at(-1), new RegExp(String.raw`^3000 records sent, ${rate}, \d+ ms 50th, ` +
    String.raw`\d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$`));
  t.ok(lines.slice(0, -1).every((line) =>
    new RegExp(String.raw`^\d+ records sent, ${rate}\.$`).test(line)),
    'progress lines');
  const stored = [0, 1, 2].flatMap((p) => cluster.state.values('perf', p));
  t.equal(stored.length, 3000);
  t.ok(stored.every((value) => /^[A-Z]{50}$/.test(value)), 'random uppercase letters');
  t.ok(cluster.brokers[0]!.produceRequests().length < 3000, 'records were batched');
});

t.test('throttling holds the rate (a --throughput of 200/s)', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('slow', 1);
  const started = Date.now();
  const result = await runProducerPerf({
    topic: 'slow', numRecords: 100, payload: { kind: 'monotonic' }, throughput: 200,
    producerProperties: new Map([['bootstrap.servers', cluster.addresses[0]!]]),
  }, () => undefined);
  t.equal(result.records, 100);
  t.ok(Date.now() - started >= 450, 'about half a second for 100 records at 200/s');
  t.strictSame(cluster.state.values('slow', 0).slice(0, 3), ['0', '1', '2'], 'monotonic payload');
});

t.test('the tool end to end: Kafka\'s total line then the JSON line', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('cli', 1);
  const run = await perf(['--topic', 'cli', '--num-records', '500', '--record-size', '20',
    '--throughput', '-1', '--producer-props', `bootstrap.servers=${cluster.addresses[0]}`,
    'acks=all', '--json']);
  t.equal(run.stderr, '');
  t.equal(run.code, 0);
  const [total, json, ...rest] = run.stdout.split('\n');
  t.match(total, /^500 records sent, /);
  t.match(JSON.parse(json!), { bench: 'produce', acks: -1, records: 500 });
  t.strictSame(rest, ['']);
  t.equal(cluster.state.values('cli', 0).length, 500);
  const missing = await perf(['--topic', 'absent', '--num-records', '5', '--record-size', '1',
    '--throughput', '-1', '--producer-props', `bootstrap.servers=${cluster.addresses[0]}`,
    'retries=1', 'retry.backoff.ms=10']);
  t.equal(missing.code, 1, 'a first record that fails ends the run');
  t.match(missing.stderr, /^ERROR /);
  t.notMatch(missing.stderr, STACK_FRAME);
});

t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('cli', 1);
  const [run, usage, help] = await Promise.all([
    runTool('kafka-producer-perf-test', ['--topic', 'cli', '--num-records', '50',
      '--record-size', '20', '--throughput', '-1', '--producer-props',
      `bootstrap.servers=${cluster.addresses[0]}`, '--json']),
    runTool('kafka-producer-perf-test', ['--num-records', '1', '--throughput', '-1',
      '--record-size', '1', '--producer-props', 'bootstrap.servers=127.0.0.1:1']),
    runTool('kafka-producer-perf-test', []),
  ]);
  t.equal(run.stderr, '');
  t.equal(run.code, 0);
  t.match(run.stdout, /^50 records sent, .*\n\{"bench":"produce",.*\}\n$/);
  t.equal(usage.stderr, 'producer-performance: error: argument --topic is required\n');
  t.equal(usage.code, 1, 'bad arguments exit 1');
  t.equal(help.code, 0, 'no arguments print the help and exit 0');
  t.match(help.stdout, /--num-records/);
});
