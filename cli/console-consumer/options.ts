/**
 * kafka-console-consumer's arguments, checked in the order and with the messages of Kafka's
 * ConsoleConsumerOptions (tools/.../consumer/ConsoleConsumerOptions.java). Consumer groups come
 * later: --group is accepted and only checked against --partition, as Kafka checks it.
 */
import { UsageError } from '../common/tool-errors.js';
import {
  has, intOption, listOption, longOption, parseArguments, stringOption,
} from '../common/arguments.js';
import type { OptionSpec } from '../common/arguments.js';
import { parseKeyValueArgs } from '../common/producer-properties.js';
import { readPropertiesFile } from '../common/properties-file.js';

/** Where reading starts: an offset, or earliest/latest (ListOffsets -2/-1). */
export type StartOffset = 'earliest' | 'latest' | number;

export interface ConsoleConsumerOptions {
  readonly bootstrapServer: string;
  readonly topic: string;
  /** One partition, or every partition of the topic when undefined. */
  readonly partition: number | undefined;
  readonly start: StartOffset;
  readonly maxMessages: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly group: string | undefined;
  /** The formatter's --property values. */
  readonly formatterProperties: ReadonlyMap<string, string>;
  /** Kafka consumer properties: --consumer.config, then --consumer-property on top. */
  readonly consumerProperties: ReadonlyMap<string, string>;
}

const DESCRIPTION = 'This tool helps to read data from Kafka topics and outputs it to standard ' +
  'output.';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', kind: 'value', describe: 'REQUIRED: The server(s) to connect to.' },
  { name: 'topic', kind: 'value', describe: 'The topic to consume on.' },
  { name: 'group', kind: 'value', describe: 'The consumer group id of the consumer. Accepted ' +
    'for compatibility: consumer groups come later, so the tool reads the partitions itself ' +
    'and commits nothing.' },
  { name: 'from-beginning', kind: 'flag', describe: 'If the consumer does not already have an ' +
    'established offset to consume from, start with the earliest message present in the log ' +
    'rather than the latest message.' },
  { name: 'partition', kind: 'value', describe: 'The partition to consume from. Consumption ' +
    'starts from the end of the partition unless \'--offset\' is specified.' },
  { name: 'offset', kind: 'value', describe: "The offset to consume from (a non-negative " +
    "number), or 'earliest' which means from beginning, or 'latest' which means from end " +
    '(default: latest)' },
  { name: 'max-messages', kind: 'value', describe: 'The maximum number of messages to consume ' +
    'before exiting. If not set, consumption is continual.' },
  { name: 'timeout-ms', kind: 'value', describe: 'If specified, exit if no message is ' +
    'available for consumption for the specified interval.' },
  { name: 'property', kind: 'list', describe: 'The properties to initialize the message ' +
    'formatter: print.timestamp=true|false, print.key=true|false, print.offset=true|false, ' +
    'print.partition=true|false, print.headers=true|false, print.value=true|false, ' +
    'key.separator=<key.separator>, line.separator=<line.separator>, ' +
    'headers.separator=<line.separator>, null.literal=<null.literal>' },
  { name: 'consumer-property', kind: 'list', describe: 'A mechanism to pass user-defined ' +
    'properties in the form key=value to the consumer.' },
  { name: 'consumer.config', kind: 'value', describe: 'Consumer config properties file. Note ' +
    'that [consumer-property] takes precedence over this config.' },
];

/** The options, or 'help' once --help printed the usage through `print`. */
export async function parseConsoleConsumerOptions(argv: readonly string[],
  print: (text: string) => void): Promise<ConsoleConsumerOptions | 'help'> {
  if (argv.length === 0) throw new UsageError(DESCRIPTION);
  const args = await parseArguments(argv, {
    scriptName: 'kafka-console-consumer',
    usage: `$0 --bootstrap-server <host:port> --topic <topic> [options]\n\n${DESCRIPTION}`,
    options: OPTIONS,
  }, print);
  if (args === 'help') return 'help';
  const topic = stringOption(args, 'topic');
  const partition = intOption(args, 'partition', { min: 0 });
  if (partition !== undefined) {
    if (topic === undefined) {
      throw new UsageError('The topic is required when partition is specified.');
    }
    if (has(args, 'from-beginning') && has(args, 'offset')) {
      throw new UsageError('Options from-beginning and offset cannot be specified together.');
    }
  } else if (has(args, 'offset')) {
    throw new UsageError('The partition is required when offset is specified.');
  }
  if (topic === undefined) throw new UsageError('Exactly one of --include/--topic is required.');
  const bootstrapServer = stringOption(args, 'bootstrap-server');
  if (bootstrapServer === undefined) {
    throw new UsageError('Missing required argument "[bootstrap-server]"');
  }
  const group = stringOption(args, 'group');
  if (group !== undefined && partition !== undefined) {
    throw new UsageError('Options group and partition cannot be specified together.');
  }
  const consumerProperties = new Map<string, string>();
  const configFile = stringOption(args, 'consumer.config');
  if (configFile !== undefined) {
    for (const [k, v] of await readPropertiesFile(configFile)) consumerProperties.set(k, v);
  }
  for (const [k, v] of parseKeyValueArgs(listOption(args, 'consumer-property'))) {
    consumerProperties.set(k, v);
  }
  return {
    bootstrapServer, topic, partition, group,
    start: startOffset(stringOption(args, 'offset'), has(args, 'from-beginning')),
    maxMessages: intOption(args, 'max-messages'),
    timeoutMs: longOption(args, 'timeout-ms'),
    formatterProperties: parseKeyValueArgs(listOption(args, 'property')),
    consumerProperties,
  };
}

/** Kafka's ConsoleConsumerOptions.parseOffset. */
export function startOffset(offset: string | undefined, fromBeginning: boolean): StartOffset {
  if (offset === undefined) return fromBeginning ? 'earliest' : 'latest';
  const lower = offset.toLowerCase();
  if (lower === 'earliest' || lower === 'latest') return lower;
  if (!/^[+-]?\d+$/.test(offset) || Number(offset) < 0 || !Number.isSafeInteger(Number(offset))) {
    throw new UsageError(`The provided offset value '${offset}' is incorrect. Valid values are ` +
      "'earliest', 'latest', or a non-negative long.");
  }
  return Number(offset);
}
