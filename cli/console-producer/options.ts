/**
 * kafka-console-producer's arguments (Kafka's ConsoleProducerOptions), and the producer
 * properties they make. As in Kafka's ConsoleProducer.producerProps: --producer.config, then
 * --producer-property on top, then each tool option (--request-required-acks, --timeout, ...)
 * when it was given explicitly or its property is still unset (maybeMergeOptions), so an
 * explicit option wins and `--producer-property acks=1` survives the option's default.
 */
import { UsageError } from '../common/tool-errors.js';
import { has, intOption, listOption, parseArguments, stringOption } from '../common/arguments.js';
import type { OptionSpec, ParsedArgs } from '../common/arguments.js';
import { parseKeyValueArgs } from '../common/producer-properties.js';
import { readPropertiesFile } from '../common/properties-file.js';

export interface ConsoleProducerOptions {
  readonly topic: string;
  readonly sync: boolean;
  /** Kafka producer properties, bootstrap.servers included. */
  readonly producerProperties: ReadonlyMap<string, string>;
  /** The line reader's properties (--reader-config, then --property). */
  readonly readerProperties: ReadonlyMap<string, string>;
}

const DESCRIPTION = 'This tool helps to read data from standard input and publish it to Kafka.';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', kind: 'value',
    describe: 'REQUIRED: The server(s) to connect to. The broker list string in the form ' +
      'HOST1:PORT1,HOST2:PORT2.' },
  { name: 'topic', kind: 'value', describe: 'REQUIRED: The topic id to produce messages to.' },
  { name: 'sync', kind: 'flag', describe: 'If set message send requests to the brokers are ' +
    'synchronously, one at a time as they arrive.' },
  { name: 'compression-codec', kind: 'optional', describe: "The compression codec: either " +
    "'none' or 'gzip'. If specified without value, then it defaults to 'gzip'" },
  { name: 'batch-size', kind: 'value', describe: 'Number of messages to send in a single batch ' +
    'if they are not being sent synchronously. (default: 16384)' },
  { name: 'timeout', kind: 'value', describe: 'If set and the producer is running in ' +
    'asynchronous mode, this gives the maximum amount of time a message will queue awaiting ' +
    'sufficient batch size. The value is given in ms. (default: 1000)' },
  { name: 'request-required-acks', kind: 'value',
    describe: 'The required `acks` of the producer requests (default: -1)' },
  { name: 'request-timeout-ms', kind: 'value', describe: 'The ack timeout of the producer ' +
    'requests. Value must be non-negative and non-zero. (default: 1500)' },
  { name: 'message-send-max-retries', kind: 'value', describe: 'Brokers can fail receiving ' +
    'the message for multiple reasons, and being unavailable transiently is just one of them. ' +
    'This property specifies the number of retries before the producer give up and drop this ' +
    'message. (default: 3)' },
  { name: 'retry-backoff-ms', kind: 'value', describe: 'Before each retry, the producer ' +
    'refreshes the metadata of relevant topics. (default: 100)' },
  { name: 'max-block-ms', kind: 'value', describe: 'Accepted for compatibility; not used. ' +
    '(default: 60000)' },
  { name: 'max-memory-bytes', kind: 'value', describe: 'The total memory used by the producer ' +
    'to buffer records waiting to be sent to the server. (default: 33554432)' },
  { name: 'property', kind: 'list', describe: 'A mechanism to pass user-defined properties in ' +
    'the form key=value to the message reader: parse.key, key.separator, parse.headers, ' +
    'headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error.' },
  { name: 'reader-config', kind: 'value',
    describe: 'Config properties file for the message reader.' },
  { name: 'producer-property', kind: 'list', describe: 'A mechanism to pass user-defined ' +
    'properties in the form key=value to the producer.' },
  { name: 'producer.config', kind: 'value', describe: 'Producer config properties file. Note ' +
    'that [producer-property] takes precedence over this config.' },
];

/** Tool options and the producer property each sets, with Kafka's ConsoleProducer defaults. */
const MERGED: readonly [option: string, key: string, defaultValue: string][] = [
  ['timeout', 'linger.ms', '1000'],
  ['request-required-acks', 'acks', '-1'],
  ['request-timeout-ms', 'request.timeout.ms', '1500'],
  ['message-send-max-retries', 'retries', '3'],
  ['retry-backoff-ms', 'retry.backoff.ms', '100'],
  ['max-memory-bytes', 'buffer.memory', '33554432'],
  ['batch-size', 'batch.size', '16384'],
  ['max-block-ms', 'max.block.ms', '60000'],
];

/** The options, or 'help' once --help printed the usage through `print`. */
export async function parseConsoleProducerOptions(argv: readonly string[],
  print: (text: string) => void): Promise<ConsoleProducerOptions | 'help'> {
  if (argv.length === 0) throw new UsageError(DESCRIPTION);
  const args = await parseArguments(argv, {
    scriptName: 'kafka-console-producer',
    usage: `$0 --bootstrap-server <host:port> --topic <topic> [options]\n\n${DESCRIPTION}\n` +
      'Reads one record per line of standard input until it ends.',
    options: OPTIONS,
  }, print);
  if (args === 'help') return 'help';
  const topic = stringOption(args, 'topic');
  if (topic === undefined) throw new UsageError('Missing required argument "[topic]"');
  const bootstrap = stringOption(args, 'bootstrap-server');
  if (bootstrap === undefined) {
    throw new UsageError('Missing required argument "[bootstrap-server]"');
  }
  for (const [option] of MERGED) {
    if (option !== 'request-required-acks') intOption(args, option, { min: 0 });
  }
  const producerProperties = new Map<string, string>();
  const configFile = stringOption(args, 'producer.config');
  if (configFile !== undefined) {
    for (const [k, v] of await readPropertiesFile(configFile)) producerProperties.set(k, v);
  }
  for (const [k, v] of parseKeyValueArgs(listOption(args, 'producer-property'))) {
    producerProperties.set(k, v);
  }
  mergeOptions(args, producerProperties, bootstrap);
  const readerProperties = new Map<string, string>();
  const readerFile = stringOption(args, 'reader-config');
  if (readerFile !== undefined) {
    for (const [k, v] of await readPropertiesFile(readerFile)) readerProperties.set(k, v);
  }
  for (const [k, v] of parseKeyValueArgs(listOption(args, 'property'))) readerProperties.set(k, v);
  return { topic, sync: has(args, 'sync'), producerProperties, readerProperties };
}

function mergeOptions(args: ParsedArgs, properties: Map<string, string>, bootstrap: string) {
  properties.set('bootstrap.servers', bootstrap);
  if (!properties.has('client.id')) properties.set('client.id', 'console-producer');
  for (const [option, key, defaultValue] of MERGED) {
    const given = stringOption(args, option);
    if (given !== undefined || !properties.has(key)) properties.set(key, given ?? defaultValue);
  }
  // Kafka sets compression.type from --compression-codec ('gzip' when given without a value);
  // here, as for the other options, an explicit --producer-property survives the default.
  const codec = stringOption(args, 'compression-codec');
  if (codec !== undefined || !properties.has('compression.type')) {
    properties.set('compression.type', codec === undefined ? 'none' : codec === '' ? 'gzip'
      : codec);
  }
}
