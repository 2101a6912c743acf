import t from 'tap';
import { lineReaderConfig, parseLine } from '../../cli/console-producer/line-reader.js';
import { producerSettings } from '../../cli/common/producer-properties.js';
import { parseConsoleProducerOptions } from '../../cli/console-producer/options.js';
import { decodeRecordBatch } from '../../protocol/records/index.js';
import { startDataCluster } from '../unit/client-data/fixtures/data-broker.js';
import type { DataCluster } from '../unit/client-data/fixtures/data-broker.js';
import { STACK_FRAME, runInProcess, runTool } from '../harness/tool-runner.js';
import type { RunResult } from '../harness/tool-runner.js';

/**
 * The engine (cli/console-producer/console-producer-tool.ts) in this process, with `input` on a
 * stdin that is not a terminal; 'the command' runs the built tool for what only the process does.
 */
const produce = (args: readonly string[], input: string): Promise<RunResult> =>
  runInProcess('kafka-console-producer', args, { input, timeoutMs: 20_000 });
const noHelp = (text: string) => { throw new Error(`unexpected help: ${text}`); };

const reader = (entries: Record<string, string>) =>
  lineReaderConfig(new Map(Object.entries(entries)));

t.test('the line reader reads values, keys, headers and the null marker (LineMessageReader)',
  async (t) => {
    t.strictSame(parseLine(reader({}), 'hello\tworld', 1),
      { key: null, value: 'hello\tworld', headers: [] }, 'no parsing: the line is the value');
    t.strictSame(parseLine(reader({ 'parse.key': 'true' }), 'k1\tv1\tmore', 1),
      { key: 'k1', value: 'v1\tmore', headers: [] }, 'the key ends at the first separator');
    t.strictSame(parseLine(reader({ 'parse.key': 'true', 'key.separator': '::' }), 'a::b', 1),
      { key: 'a', value: 'b', headers: [] });
    t.strictSame(parseLine(reader({ 'parse.key': 'true', 'parse.headers': 'true' }),
      'h1:v1,h2:v:2\tkey\tvalue', 1), { key: 'key', value: 'value',
      headers: [{ key: 'h1', value: 'v1' }, { key: 'h2', value: 'v:2' }] });
    t.strictSame(parseLine(reader({ 'parse.headers': 'true', 'headers.delimiter': '|',
      'headers.separator': ';', 'headers.key.separator': '=' }), 'a=1;b=2|v', 1),
    { key: null, value: 'v', headers: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    const nulls = reader({ 'parse.key': 'true', 'parse.headers': 'true', 'null.marker': 'NULL' });
    t.strictSame(parseLine(nulls, 'NULL\tNULL\tNULL', 1), { key: null, value: null,
      headers: [] }, 'null headers, key and value');
    t.strictSame(parseLine(nulls, 'h:NULL\tk\tv', 1),
      { key: 'k', value: 'v', headers: [{ key: 'h', value: null }] }, 'a null header value');
    t.throws(() => parseLine(nulls, 'NULL:x\tk\tv', 3), { message:
      "Header keys should not be equal to the null marker 'NULL' as they can't be null" });
  });

t.test('a bad line fails with Kafka\'s message unless ignore.error', async (t) => {
  t.throws(() => parseLine(reader({ 'parse.key': 'true' }), 'no separator', 7),
    { name: 'LineReaderError',
      message: "No key separator found on line number 7: 'no separator'" });
  t.throws(() => parseLine(reader({ 'parse.headers': 'true' }), 'x', 2),
    { message: "No headers delimiter found on line number 2: 'x'" });
  t.throws(() => parseLine(reader({ 'parse.headers': 'true' }), 'h1\tv', 4),
    { message: "No header key separator found in pair 'h1' on line number 4" });
  const lenient = reader({ 'parse.key': 'true', 'parse.headers': 'true', 'ignore.error': 'true' });
  t.strictSame(parseLine(lenient, 'just a value', 1), { key: null, value: 'just a value',
    headers: [] });
  t.strictSame(parseLine(lenient, 'h1\tk\tv', 1),
    { key: 'k', value: 'v', headers: [{ key: 'h1', value: null }] });
});

t.test('the reader refuses separators that collide (LineMessageReader.configure)', async (t) => {
  t.throws(() => reader({ 'null.marker': '\t' }),
    { message: 'null.marker and key.separator may not be equal' });
  t.throws(() => reader({ 'headers.separator': ':' }),
    { message: 'headers.separator and headers.key.separator may not be equal' });
  t.throws(() => reader({ 'headers.delimiter': ',' }),
    { message: 'headers.delimiter and headers.separator may not be equal' });
});

t.test('tool options set producer properties unless only their default would (maybeMerge)',
  async (t) => {
    const base = ['--bootstrap-server', '127.0.0.1:9092', '--topic', 't'];
    const defaults = await parseConsoleProducerOptions(base, noHelp);
    if (defaults === 'help') throw new Error('unexpected help');
    t.match(Object.fromEntries(defaults.producerProperties), { 'acks': '-1', 'linger.ms': '1000',
      'request.timeout.ms': '1500', 'retries': '3', 'batch.size': '16384',
      'compression.type': 'none', 'client.id': 'console-producer',
      'bootstrap.servers': '127.0.0.1:9092' });
    const kept = await parseConsoleProducerOptions([...base, '--producer-property', 'acks=1',
      '--producer-property', 'linger.ms=5', '--timeout', '7', '--compression-codec'], noHelp);
    if (kept === 'help') throw new Error('unexpected help');
    t.match(Object.fromEntries(kept.producerProperties),
      { 'acks': '1', 'linger.ms': '7', 'compression.type': 'gzip' });
    const settings = producerSettings(kept.producerProperties, 'console-producer');
    t.match(settings.send, { acks: 1, timeout: 1500, compression: 1 });
    t.match(settings.producer, { acks: 1, lingerMs: 7, batchSizeBytes: 16384 });
    t.throws(() => producerSettings(new Map([['bootstrap.servers', 'h:1'], ['acks', '2']]), 'x'),
      { message: 'Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1' });
    t.throws(() => producerSettings(new Map([['bootstrap.servers', 'h:1'],
      ['linger.ms', 'soon']]), 'x'),
    { message: 'Invalid value soon for configuration linger.ms: Not a number of type LONG' });
    t.match(producerSettings(new Map([['bootstrap.servers', 'h:1'], ['colour', 'red']]), 'x')
      .warnings, ["The configuration 'colour' was supplied but isn't a known config."]);
  });

t.test('argument errors print one line and exit 1', async (t) => {
  const cases: [string[], string][] = [
    [[], 'This tool helps to read data from standard input and publish it to Kafka.\n'],
    [['--bootstrap-server', '127.0.0.1:9092'], 'Missing required argument "[topic]"\n'],
    [['--topic', 't'], 'Missing required argument "[bootstrap-server]"\n'],
    [['--topic', 't', '--bootstrap-server', 'nohost'],
      'Invalid url in bootstrap.servers: nohost\n'],
    [['--topic', 't', '--bootstrap-server', '127.0.0.1:1', '--colour'],
      'colour is not a recognized option\n'],
    [['--topic', 't', '--bootstrap-server', '127.0.0.1:1', '--batch-size', 'big'],
      "Cannot parse argument 'big' of option batch-size\n"],
    [['--topic', 't', '--bootstrap-server', '127.0.0.1:1', '--request-required-acks', '2'],
      'Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1\n'],
    [['--topic', 't', '--bootstrap-server', '127.0.0.1:1', '--property', 'null.marker=\t'],
      'null.marker and key.separator may not be equal\n'],
  ];
  for (const [args, stderr] of cases) {
    const run = await produce(args, '');
    t.equal(run.stderr, stderr, args.join(' ') || '(no arguments)');
    t.equal(run.code, 1, `${args.join(' ')}: exit 1`);
    t.equal(run.stdout, '');
  }
});

t.test('end to end against the fake data broker', async (t) => {
  let cluster: DataCluster;
  t.beforeEach(async () => {
    cluster = await startDataCluster(1);
    cluster.state.createTopic('lines', 1);
  });
  t.afterEach(() => cluster.stop());
  const args = () => ['--bootstrap-server', cluster.addresses[0]!, '--topic', 'lines',
    '--timeout', '5'];
  const records = () => cluster.state.topics.get('lines')![0]!.batches.flatMap((batch) =>
    decodeRecordBatch(batch.bytes).records.map((r) => ({
      key: r.key === null ? null : Buffer.from(r.key).toString(),
      value: r.value === null ? null : Buffer.from(r.value).toString(),
      headers: r.headers.map((h) => `${h.key}=${h.value === null ? 'null'
        : Buffer.from(h.value).toString()}`),
    })));

  t.test('each line becomes a record, in order; no prompt when stdin is a pipe', async (t) => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    const run = await produce(args(), `${lines.join('\n')}\n`);
    t.equal(run.stderr, '');
    t.equal(run.stdout, '', 'no > prompt for piped input');
    t.equal(run.code, 0);
    t.strictSame(cluster.state.values('lines', 0), lines);
  });

  t.test('parse.key, headers and null.marker reach the log', async (t) => {
    const run = await produce([...args(), '--property', 'parse.key=true', '--property',
      'parse.headers=true', '--property', 'null.marker=~', '--sync'],
    'h1:a,h2:~\tk1\tv1\n~\t~\t~\n');
    t.equal(run.stderr, '');
    t.equal(run.code, 0);
    t.strictSame(records(), [
      { key: 'k1', value: 'v1', headers: ['h1=a', 'h2=null'] },
      { key: null, value: null, headers: [] },
    ]);
  });

  t.test('a bad line exits 1 after sending the lines before it', async (t) => {
    const run = await produce([...args(), '--property', 'parse.key=true'],
      'a\t1\nb\t2\nbroken\nc\t3\n');
    t.equal(run.stderr, "No key separator found on line number 3: 'broken'\n");
    t.notMatch(run.stderr, STACK_FRAME);
    t.equal(run.code, 1);
    t.strictSame(cluster.state.values('lines', 0), ['1', '2']);
  });

  t.test('ignore.error keeps going and sends the whole line as the value', async (t) => {
    const run = await produce([...args(), '--property', 'parse.key=true', '--property',
      'ignore.error=true'], 'a\t1\nbroken\n');
    t.equal(run.code, 0);
    t.strictSame(records().map((r) => [r.key, r.value]), [['a', '1'], [null, 'broken']]);
  });

  t.test('acks and compression go into the Produce request', async (t) => {
    const run = await produce([...args(), '--request-required-acks', '1',
      '--compression-codec', 'gzip'], 'x\ny\n');
    t.equal(run.code, 0);
    t.ok(cluster.brokers[0]!.produceRequests().every((r) => r.acks === 1), 'acks=1');
    t.strictSame(cluster.state.values('lines', 0), ['x', 'y']);
  });

  t.test('the command: exit codes, stdout and stderr of the built tool', async (t) => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    const [run, usage, help] = await Promise.all([
      runTool('kafka-console-producer', args(),
        { input: `${lines.join('\n')}\n`, timeoutMs: 20_000 }),
      runTool('kafka-console-producer', ['--topic', 't'], { input: '' }),
      runTool('kafka-console-producer', ['--help']),
    ]);
    t.equal(run.stderr, '');
    t.equal(run.stdout, '', 'no > prompt when stdin is a pipe');
    t.equal(run.code, 0);
    t.strictSame(cluster.state.values('lines', 0), lines);
    t.equal(usage.stderr, 'Missing required argument "[bootstrap-server]"\n');
    t.equal(usage.stdout, '');
    t.equal(usage.code, 1, 'bad arguments exit 1');
    t.equal(help.code, 0, '--help exits 0');
    t.match(help.stdout, /--bootstrap-server/);
  });
});
