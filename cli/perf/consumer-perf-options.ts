/**
 * kafka-consumer-perf-test's arguments, with the messages of Kafka's ConsumerPerfOptions
 * (joptsimple). --group is accepted (consumer groups come later); --json is raftka's addition.
 */
import { UsageError } from '../common/tool-errors.js';
import {
  has, intOption, longOption, parseArguments, stringOption,
} from '../common/arguments.js';
import type { OptionSpec } from '../common/arguments.js';
import { readPropertiesFile } from '../common/properties-file.js';
import type { ConsumerPerfOptions } from './consumer-perf.js';
import { DEFAULT_DATE_FORMAT } from './format.js';

export interface ConsumerPerfCommand {
  readonly options: ConsumerPerfOptions;
  readonly json: boolean;
}

const DESCRIPTION = 'This tool is used to verify the consumer performance.';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'bootstrap-server', kind: 'value', describe: 'REQUIRED: The server(s) to connect to.' },
  { name: 'topic', kind: 'value', describe: 'REQUIRED: The topic to consume from.' },
  { name: 'messages', kind: 'value',
    describe: 'REQUIRED: The number of messages to consume.' },
  { name: 'group', kind: 'value', describe: 'The group id to consume on. Accepted for ' +
    'compatibility: consumer groups come later, so every partition is read directly.' },
  { name: 'fetch-size', kind: 'value', describe: 'The amount of data to fetch in a single ' +
    'request. (default: 1048576)' },
  { name: 'from-latest', kind: 'flag', describe: 'If the consumer does not already have an ' +
    'established offset to consume from, start with the latest message present in the log ' +
    'rather than the earliest message.' },
  { name: 'timeout', kind: 'value', describe: 'The maximum allowed time in milliseconds ' +
    'between returned records. (default: 10000)' },
  { name: 'reporting-interval', kind: 'value', describe: 'Interval in milliseconds at which ' +
    'to print progress info. (default: 5000)' },
  { name: 'show-detailed-stats', kind: 'flag', describe: 'If set, stats are reported for each ' +
    'reporting interval as configured by reporting-interval' },
  { name: 'hide-header', kind: 'flag', describe: 'If set, skips printing the header for the ' +
    'stats' },
  { name: 'date-format', kind: 'value', describe: 'The date format to use for formatting the ' +
    'time field. See java.text.SimpleDateFormat for options. (default: ' +
    `${DEFAULT_DATE_FORMAT})` },
  { name: 'consumer.config', kind: 'value', describe: 'Consumer config properties file.' },
  { name: 'print-metrics', kind: 'flag', describe: 'Accepted for compatibility; there are no ' +
    'client metrics to print yet.' },
  { name: 'json', kind: 'flag', describe: 'Also print one JSON line with the results at the ' +
    'end (raftka addition).' },
];

/** The command, or 'help' once --help printed the usage through `print`. */
export async function parseConsumerPerfOptions(argv: readonly string[],
  print: (text: string) => void): Promise<ConsumerPerfCommand | 'help'> {
  if (argv.length === 0) throw new UsageError(DESCRIPTION);
  const args = await parseArguments(argv, {
    scriptName: 'kafka-consumer-perf-test',
    usage: `$0 --bootstrap-server <host:port> --topic <topic> --messages <n> [options]\n\n` +
      DESCRIPTION,
    options: OPTIONS,
  }, print);
  if (args === 'help') return 'help';
  for (const name of ['topic', 'messages', 'bootstrap-server']) {
    if (!has(args, name)) throw new UsageError(`Missing required argument "[${name}]"`);
  }
  const reportingIntervalMs = intOption(args, 'reporting-interval');
  if (reportingIntervalMs !== undefined && reportingIntervalMs <= 0) {
    throw new UsageError('Reporting interval must be greater than 0.');
  }
  const configFile = stringOption(args, 'consumer.config');
  return {
    json: has(args, 'json'),
    options: {
      bootstrapServer: stringOption(args, 'bootstrap-server')!,
      topic: stringOption(args, 'topic')!,
      messages: longOption(args, 'messages')!,
      fetchSizeBytes: intOption(args, 'fetch-size', { min: 1 }),
      fromLatest: has(args, 'from-latest'),
      timeoutMs: longOption(args, 'timeout'),
      reportingIntervalMs,
      showDetailedStats: has(args, 'show-detailed-stats'),
      hideHeader: has(args, 'hide-header'),
      dateFormat: stringOption(args, 'date-format'),
      consumerProperties: configFile === undefined ? new Map()
        : await readPropertiesFile(configFile),
    },
  };
}
