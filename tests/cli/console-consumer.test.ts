import { spawn } from 'node:child_process';
import t from 'tap';
import type { KafkaMessage } from '../../client/index.js';
import { formatRecordText, formatterConfig } from '../../cli/console-consumer/message-formatter.js';
import { startOffset } from '../../cli/console-consumer/options.js';
import { encodeRecordBatch } from '../../protocol/records/index.js';
import { startDataCluster } from '../unit/client-data/fixtures/data-broker.js';
import type { DataCluster } from '../unit/client-data/fixtures/data-broker.js';
import { STACK_FRAME, runInProcess, runTool, toolPath } from '../harness/tool-runner.js';

// The engine runs in this process (cli/console-consumer/console-consumer-tool.ts); the SIGTERM
// case and 'the command' run the built tool for what only the process does.
const consume = (args: readonly string[]) =>
  runInProcess('kafka-console-consumer', args, { timeoutMs: 20_000 });

const message = (fields: Partial<KafkaMessage> = {}): KafkaMessage => ({
  key: Buffer.from('k1'), value: Buffer.from('hello'), headers: {}, timestamp: '1700000000000',
  offset: '5', attributes: 0, ...fields,
});
const format = (properties: Record<string, string>, record = message(), partition = 0) =>
  formatRecordText(formatterConfig(new Map(Object.entries(properties))), partition, record);

t.test('DefaultMessageFormatter: the value alone by default', async (t) => {
  t.equal(format({}), 'hello\n');
  t.equal(format({}, message({ value: null })), 'null\n', 'a null value prints null.literal');
  t.equal(format({ 'print.value': 'false' }), '', 'nothing at all');
});

t.test('DefaultMessageFormatter: every field, in Kafka\'s order', async (t) => {
  const all = { 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true',
    'print.headers': 'true', 'print.key': 'true', 'print.value': 'true' };
  t.equal(format(all, message(), 2),
    'CreateTime:1700000000000\tPartition:2\tOffset:5\tNO_HEADERS\tk1\thello\n');
  t.equal(format({ 'print.timestamp': 'true', 'print.offset': 'true', 'print.key': 'true' }),
    'CreateTime:1700000000000\tOffset:5\tk1\thello\n', 'the research example');
  t.equal(format({ ...all, 'key.separator': ' | ', 'line.separator': '\r\n',
    'headers.separator': ';', 'null.literal': '<nil>' }, message({ key: null,
    attributes: 0x08, headers: { a: Buffer.from('1'), b: [Buffer.from('2'), Buffer.from('3')],
      c: null } })),
  'LogAppendTime:1700000000000 | Partition:0 | Offset:5 | a:1;b:2;b:3;c:<nil> | <nil> | hello\r\n');
  t.equal(format({ 'print.key': 'TRUE ', 'print.value': 'false' }), 'k1\n',
    'the last field ends with line.separator; booleans are trimmed and case-blind');
  t.equal(format({ 'print.partition': 'true', 'print.value': 'false' }), 'Partition:0\n');
  t.equal(format({ 'print.headers': 'true', 'print.value': 'no' }), 'NO_HEADERS\n');
});

t.test('--offset parses as Kafka\'s parseOffset', async (t) => {
  t.equal(startOffset(undefined, false), 'latest');
  t.equal(startOffset(undefined, true), 'earliest');
  t.equal(startOffset('EARLIEST', false), 'earliest');
  t.equal(startOffset('42', false), 42);
  t.throws(() => startOffset('-1', false), { message: "The provided offset value '-1' is " +
    "incorrect. Valid values are 'earliest', 'latest', or a non-negative long." });
});

t.test('argument errors print Kafka\'s messages and exit 1', async (t) => {
  const b = ['--bootstrap-server', '127.0.0.1:1'];
  const cases: [string[], string][] = [
    [[], 'This tool helps to read data from Kafka topics and outputs it to standard output.'],
    [[...b, '--partition', '0'], 'The topic is required when partition is specified.'],
    [[...b, '--topic', 't', '--partition', '0', '--offset', '3', '--from-beginning'],
      'Options from-beginning and offset cannot be specified together.'],
    [[...b, '--topic', 't', '--offset', '3'],
      'The partition is required when offset is specified.'],
    [[...b, '--topic', 't', '--partition', '0', '--group', 'g'],
      'Options group and partition cannot be specified together.'],
    [[...b], 'Exactly one of --include/--topic is required.'],
    [['--topic', 't'], 'Missing required argument "[bootstrap-server]"'],
    [[...b, '--topic', 't', '--partition', 'x'], "Cannot parse argument 'x' of option partition"],
    [[...b, '--topic', 't', '--partition', '0', '--offset', 'soon'], "The provided offset value " +
      "'soon' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."],
    [[...b, '--topic', 't', '--colour'], 'colour is not a recognized option'],
  ];
  for (const [args, stderr] of cases) {
    const run = await consume(args);
    t.equal(run.stderr, `${stderr}\n`, args.join(' ') || '(no arguments)');
    t.equal(run.code, 1);
  }
});

t.test('end to end against the fake data broker', async (t) => {
  let cluster: DataCluster;
  t.beforeEach(async () => {
    cluster = await startDataCluster(1);
    cluster.state.createTopic('events', 2);
    cluster.state.seed('events', 0, ['a', 'b', 'c'], 1_000);
    cluster.state.seed('events', 1, ['x'], 2_000);
  });
  t.afterEach(() => cluster.stop());
  const args = (...more: string[]) => ['--bootstrap-server', cluster.addresses[0]!,
    '--topic', 'events', ...more];

  t.test('--from-beginning reads every partition; --max-messages ends it', async (t) => {
    const run = await consume(args('--from-beginning', '--max-messages', '4', '--property',
      'print.partition=true', '--property', 'print.offset=true'));
    t.equal(run.code, 0);
    t.equal(run.stderr, 'Processed a total of 4 messages\n');
    t.strictSame(run.stdout.split('\n').filter((line) => line !== '').sort(), [
      'Partition:0\tOffset:0\ta', 'Partition:0\tOffset:1\tb', 'Partition:0\tOffset:2\tc',
      'Partition:1\tOffset:0\tx']);
  });

  t.test('--partition with --offset starts there; --timeout-ms ends a quiet run', async (t) => {
    const run = await consume(args('--partition', '0', '--offset', '1', '--timeout-ms', '700',
      '--property', 'print.timestamp=true'));
    t.equal(run.code, 0);
    t.equal(run.stdout, 'CreateTime:1001\tb\nCreateTime:1002\tc\n');
    t.equal(run.stderr, 'Processed a total of 2 messages\n');
  });

  t.test('without --from-beginning it starts at the end', async (t) => {
    const run = await consume(args('--timeout-ms', '700'));
    t.equal(run.stdout, '');
    t.equal(run.stderr, 'Processed a total of 0 messages\n');
    t.equal(run.code, 0);
  });

  t.test('keys, headers and nulls print as DefaultMessageFormatter prints them', async (t) => {
    cluster.state.createTopic('rich', 1);
    cluster.state.append('rich', 0, encodeRecordBatch([
      { key: Buffer.from('k'), value: null, timestampMs: 5,
        headers: [{ key: 'h', value: Buffer.from('v') }, { key: 'n', value: null }] },
      { key: null, value: Buffer.from('plain'), timestampMs: 6 },
    ]));
    const run = await consume(['--bootstrap-server', cluster.addresses[0]!, '--topic', 'rich',
      '--from-beginning', '--max-messages', '2', '--property', 'print.key=true', '--property',
      'print.headers=true', '--property', 'key.separator=|']);
    t.equal(run.stdout, 'h:v,n:null|k|null\nNO_HEADERS|null|plain\n');
    t.equal(run.code, 0);
  });

  t.test('SIGTERM ends the run with the count and exit 0', async (t) => {
    const child = spawn(process.execPath, [toolPath('kafka-console-consumer'),
      ...args('--from-beginning')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.split('\n').length > 4) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const code = await new Promise((resolve) => child.on('close', resolve));
    t.equal(code, 0);
    t.equal(stderr, 'Processed a total of 4 messages\n');
  });

  t.test('an unknown topic fails with one ERROR line, no stack trace', async (t) => {
    const run = await consume(['--bootstrap-server', cluster.addresses[0]!, '--topic', 'nope',
      '--consumer-property', 'retry.backoff.ms=10', '--consumer-property',
      'retry.backoff.max.ms=20']);
    t.equal(run.code, 1);
    t.match(run.stderr, /^ERROR Error processing message, terminating consumer process: .+\n/);
    t.match(run.stderr, /Processed a total of 0 messages\n$/);
    t.notMatch(run.stderr, STACK_FRAME);
  });

  t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
    // A run of the command that reads and exits 0 is the SIGTERM case above.
    const [usage, help] = await Promise.all([
      runTool('kafka-console-consumer', ['--topic', 't']),
      runTool('kafka-console-consumer', ['--help']),
    ]);
    t.equal(usage.stderr, 'Missing required argument "[bootstrap-server]"\n');
    t.equal(usage.stdout, '');
    t.equal(usage.code, 1, 'bad arguments exit 1');
    t.equal(help.code, 0, '--help exits 0');
    t.match(help.stdout, /--bootstrap-server/);
  });
});
