/**
 * kafka-producer-perf-test's arguments, checked as Kafka's ProducerPerformance (argparse4j)
 * checks them and failing with argparse4j's wording (`producer-performance: error: ...`):
 * required --topic, --num-records, --throughput; exactly one of --record-size, --payload-file,
 * --payload-monotonic; --producer-props and/or --producer.config. --json is raftka's addition.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, ToolConfigError } from '../common/tool-errors.js';
import {
  has, listOption, parseArguments, stringOption,
} from '../common/arguments.js';
import type { OptionSpec, ParsedArgs } from '../common/arguments.js';
import { readPropertiesFile } from '../common/properties-file.js';
import type { PayloadSource, ProducerPerfOptions } from './producer-perf.js';

export interface ProducerPerfCommand {
  readonly options: ProducerPerfOptions;
  readonly json: boolean;
}

const PAYLOAD_OPTIONS = ['record-size', 'payload-file', 'payload-monotonic'] as const;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'topic', kind: 'value', describe: 'produce messages to this topic' },
  { name: 'num-records', kind: 'value', describe: 'number of messages to produce' },
  { name: 'record-size', kind: 'value', describe: 'message size in bytes. Note that you must ' +
    'provide exactly one of --record-size or --payload-file or --payload-monotonic.' },
  { name: 'payload-file', kind: 'value', describe: 'file to read the message payloads from. ' +
    'This works only for UTF-8 encoded text files. Payloads will be read from this file and a ' +
    'payload will be randomly selected when sending messages. Note that you must provide ' +
    'exactly one of --record-size or --payload-file or --payload-monotonic.' },
  { name: 'payload-monotonic', kind: 'flag', describe: 'payload is monotonically increasing ' +
    'integer. Note that you must provide exactly one of --record-size or --payload-file or ' +
    '--payload-monotonic.' },
  { name: 'payload-delimiter', kind: 'value', describe: 'provides delimiter to be used when ' +
    '--payload-file is provided. Defaults to new line. Note that this parameter will be ' +
    'ignored if --payload-file is not provided. (default: \\n)' },
  { name: 'throughput', kind: 'value', describe: 'throttle maximum message throughput to ' +
    '*approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.' },
  { name: 'producer-props', kind: 'list', describe: 'kafka producer related configuration ' +
    'properties like bootstrap.servers,client.id etc. These configs take precedence over ' +
    'those passed via --producer.config.' },
  { name: 'producer.config', kind: 'value', describe: 'producer config properties file.' },
  { name: 'print-metrics', kind: 'flag', describe: 'accepted for compatibility; there are no ' +
    'client metrics to print yet.' },
  { name: 'json', kind: 'flag', describe: 'also print one JSON line with the results at the ' +
    'end (raftka addition).' },
];

/** yargs' failures in argparse4j's words. */
export function argparseMessage(prog: string, message: string,
  argv: readonly string[] = []): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown !== null) {
    // yargs drops the dashes of an unknown option; argparse4j shows the argument as given.
    const names = unknown[1]!.split(', ').map((name) => `'${argv.includes(name) ? name
      : name.length === 1 ? `-${name}` : `--${name}`}'`).join(' ');
    return `${prog}: error: unrecognized arguments: ${names}`;
  }
  const missing = /^Not enough arguments following: (\S+)/.exec(message);
  if (missing !== null) return `${prog}: error: argument --${missing[1]}: expected one argument`;
  return `${prog}: error: ${message}`;
}

const PROG = 'producer-performance';
const fail = (message: string) => new UsageError(`${PROG}: error: ${message}`);

/** The command, or 'help' (also for no arguments, which print the help and exit 0). */
export async function parseProducerPerfOptions(argv: readonly string[],
  print: (line: string) => void): Promise<ProducerPerfCommand | 'help'> {
  const args = await parseArguments(argv.length === 0 ? ['--help'] : argv, {
    scriptName: 'kafka-producer-perf-test',
    usage: '$0 --topic TOPIC --num-records NUM-RECORDS (--record-size RECORD-SIZE | ' +
      '--payload-file PAYLOAD-FILE | --payload-monotonic) --throughput THROUGHPUT ' +
      '[--producer-props PROP-NAME=PROP-VALUE ...] [--producer.config CONFIG-FILE] [--json]\n\n' +
      'This tool is used to verify the producer performance.',
    options: OPTIONS,
    message: (text) => argparseMessage(PROG, text, argv),
  }, print);
  if (args === 'help') return 'help';
  for (const name of ['topic', 'num-records', 'throughput']) {
    if (!has(args, name)) throw fail(`argument --${name} is required`);
  }
  const given = PAYLOAD_OPTIONS.filter((name) => has(args, name));
  if (given.length === 0) {
    throw fail('one of the arguments --record-size --payload-file --payload-monotonic is ' +
      'required');
  }
  if (given.length > 1) {
    throw fail(`argument --${given[1]}: not allowed with argument --${given[0]}`);
  }
  const numRecords = javaNumber(args, 'num-records', 'Long');
  const throughput = javaNumber(args, 'throughput', 'Double');
  const propsList = listOption(args, 'producer-props');
  const configFile = stringOption(args, 'producer.config');
  if (propsList.length === 0 && configFile === undefined) {
    throw fail('Either --producer-props or --producer.config must be specified.');
  }
  const producerProperties = new Map<string, string>();
  if (configFile !== undefined) {
    for (const [k, v] of await readPropertiesFile(configFile)) producerProperties.set(k, v);
  }
  for (const prop of propsList) {
    const pieces = prop.split('=');
    if (pieces.length !== 2) throw new ToolConfigError(`Invalid property: ${prop}`);
    producerProperties.set(pieces[0]!, pieces[1]!);
  }
  return {
    json: has(args, 'json'),
    options: {
      topic: stringOption(args, 'topic')!, numRecords, throughput, producerProperties,
      payload: await payloadSource(args, given[0]!, print),
    },
  };
}

/** An argparse4j typed value, with its conversion message. */
function javaNumber(args: ParsedArgs, name: string, type: 'Integer' | 'Long' | 'Double'): number {
  const text = stringOption(args, name) ?? '';
  const value = Number(text);
  const ok = type === 'Double' ? text.trim() !== '' && Number.isFinite(value)
    : /^[+-]?\d+$/.test(text) && Number.isSafeInteger(value) &&
      (type === 'Long' || Math.abs(value) <= 2_147_483_647);
  if (!ok) {
    throw fail(`argument --${name}: could not convert '${text}' to ${type} ` +
      `(For input string: "${text}")`);
  }
  return value;
}

async function payloadSource(args: ParsedArgs, kind: (typeof PAYLOAD_OPTIONS)[number],
  print: (line: string) => void): Promise<PayloadSource> {
  if (kind === 'payload-monotonic') return { kind: 'monotonic' };
  if (kind === 'record-size') {
    const recordSize = javaNumber(args, 'record-size', 'Integer');
    if (recordSize < 0) throw fail(`argument --record-size: ${recordSize} is negative`);
    return { kind: 'random', recordSize };
  }
  const path = stringOption(args, 'payload-file')!;
  const delimiterOption = stringOption(args, 'payload-delimiter') ?? '\\n';
  // Kafka's help shows the default as `\n` and swaps that text for a newline.
  const delimiter = delimiterOption === '\\n' ? '\n' : delimiterOption;
  return { kind: 'file', payloads: await readPayloadFile(path, delimiter, print) };
}

/**
 * Kafka's readPayloadFile: prints where it reads from and how many payloads it found. The
 * delimiter is literal here (Kafka's String.split takes a regular expression); trailing empty
 * payloads are dropped, as split drops them.
 */
export async function readPayloadFile(path: string, delimiter: string,
  print: (line: string) => void): Promise<Buffer[]> {
  const absolute = resolve(path);
  print(`Reading payloads from: ${absolute}`);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    text = '';
  }
  if (text === '') throw new ToolConfigError('File does not exist or empty file provided.');
  const payloads = delimiter === '' ? [...text] : text.split(delimiter);
  while (payloads.length > 0 && payloads[payloads.length - 1] === '') payloads.pop();
  print(`Number of messages read: ${payloads.length}`);
  if (payloads.length === 0) {
    throw new ToolConfigError('File does not exist or empty file provided.');
  }
  return payloads.map((payload) => Buffer.from(payload, 'utf8'));
}
