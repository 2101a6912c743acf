/**
 * kafka-topics' arguments: parsed with yargs, then checked in the order and with the messages
 * of Kafka's TopicCommandOptions.checkArgs (tools/.../TopicCommand.java), so scripts that match
 * Kafka's usage errors keep working. Every failure is a UsageError with one line.
 */
import type { Argv } from 'yargs';
import { UsageError, joptMessage, lastValue } from '../common/tool-errors.js';

export const ACTIONS = ['list', 'describe', 'create', 'alter', 'delete'] as const;
export type TopicAction = (typeof ACTIONS)[number];

export interface TopicOptions {
  readonly action: TopicAction;
  readonly bootstrapServer: string;
  readonly commandConfig: string | undefined;
  /** A name for --create; a regular expression for the other actions (Kafka's IncludeList). */
  readonly topic: string | undefined;
  readonly partitions: number | undefined;
  readonly replicationFactor: number | undefined;
  readonly replicaAssignment: string | undefined;
  readonly configs: readonly string[];
  readonly ifExists: boolean;
  readonly ifNotExists: boolean;
  readonly excludeInternal: boolean;
  readonly underReplicatedPartitions: boolean;
  readonly unavailablePartitions: boolean;
}

const FLAGS = [
  ...ACTIONS, 'if-exists', 'if-not-exists', 'exclude-internal', 'under-replicated-partitions',
  'unavailable-partitions',
] as const;
const VALUES = [
  'bootstrap-server', 'command-config', 'topic', 'partitions', 'replication-factor',
  'replica-assignment',
] as const;

const DESCRIPTIONS: Record<(typeof FLAGS)[number] | (typeof VALUES)[number] | 'config', string> = {
  list: 'List all available topics.',
  describe: 'List details for the given topics.',
  create: 'Create a new topic.',
  alter: 'Alter the number of partitions and replica assignment.',
  delete: 'Delete a topic.',
  'if-exists': 'If set when altering or deleting or describing topics, the action will only ' +
    'execute if the topic exists.',
  'if-not-exists': 'If set when creating topics, the action will only execute if the topic ' +
    'does not already exist.',
  'exclude-internal': 'Exclude internal topics when listing or describing topics.',
  'under-replicated-partitions': 'If set when describing topics, only show under-replicated ' +
    'partitions.',
  'unavailable-partitions': 'If set when describing topics, only show partitions whose leader ' +
    'is not available.',
  'bootstrap-server': 'REQUIRED: The Kafka server to connect to.',
  'command-config': 'Property file containing configs to be passed to Admin Client.',
  topic: 'The topic to create, alter, describe or delete. It also accepts a regular expression, ' +
    'except for --create option.',
  partitions: 'The number of partitions for the topic being created or altered.',
  'replication-factor': 'The replication factor for each partition in the topic being created.',
  'replica-assignment': 'A list of manual partition-to-broker assignments, e.g. 1:2,2:3.',
  config: 'A topic configuration override (name=value) for the topic being created.',
};

type Parsed = Record<string, unknown>;

/** The options, or 'help' once --help printed the usage through `print`. */
export async function parseTopicOptions(argv: readonly string[],
  print: (text: string) => void): Promise<TopicOptions | 'help'> {
  if (argv.length === 0) throw new UsageError('Create, delete, describe, or change a topic.');
  const { default: yargs } = await import('yargs');
  let parser: Argv = yargs([...argv])
    .scriptName('kafka-topics')
    .usage('$0 --bootstrap-server <host:port> --create|--list|--describe|--delete|--alter ' +
      '[options]\n\n' +
      'This tool helps to create, delete, describe, or change a topic.');
  for (const flag of FLAGS) {
    parser = parser.option(flag,
      { type: 'boolean', describe: DESCRIPTIONS[flag], coerce: lastValue });
  }
  for (const name of VALUES) {
    parser = parser.option(name, { type: 'string', requiresArg: true, describe: DESCRIPTIONS[name],
      coerce: lastValue });
  }
  let help = false;
  const args = await parser
    .option('config', { type: 'string', requiresArg: true, describe: DESCRIPTIONS.config })
    .strict()
    .parserConfiguration({ 'boolean-negation': false, 'camel-case-expansion': false })
    .version(false)
    .help(false)
    .option('help', { type: 'boolean', describe: 'Print usage information.' })
    .fail((message, error) => {
      throw error ?? new UsageError(joptMessage(message));
    })
    .parseAsync() as Parsed;
  if (args['help'] === true) {
    parser.showHelp(print);
    help = true;
  }
  return help ? 'help' : checkArgs(args);
}

const has = (args: Parsed, name: string): boolean =>
  args[name] !== undefined && args[name] !== false;

function checkArgs(args: Parsed): TopicOptions {
  const actions = ACTIONS.filter((action) => has(args, action));
  if (actions.length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --create, ' +
      '--alter or --delete');
  }
  const action = actions[0]!;
  const bootstrapServer = args['bootstrap-server'];
  if (typeof bootstrapServer !== 'string') {
    throw new UsageError('--bootstrap-server must be specified');
  }
  if (action === 'describe' && has(args, 'if-exists') && !has(args, 'topic')) {
    throw new UsageError('--topic or --topic-id is required to describe a topic');
  }
  if (action !== 'list' && action !== 'describe' && !has(args, 'topic')) {
    throw new UsageError('Missing required argument "[topic]"');
  }
  if (action === 'alter') {
    if (has(args, 'config')) {
      throw new UsageError('Option "[config]" can\'t be used with option "[alter]" (To alter ' +
        'topic configurations, the kafka-configs tool can be used.)');
    }
    if (!has(args, 'partitions')) throw new UsageError('Missing required argument "[partitions]"');
  }
  checkInvalidArgs(args, action);
  return {
    action,
    bootstrapServer,
    commandConfig: args['command-config'] as string | undefined,
    topic: args['topic'] as string | undefined,
    partitions: intOption(args, 'partitions'),
    replicationFactor: intOption(args, 'replication-factor'),
    replicaAssignment: args['replica-assignment'] as string | undefined,
    configs: [args['config'] ?? []].flat().map(String),
    ifExists: has(args, 'if-exists'),
    ifNotExists: has(args, 'if-not-exists'),
    excludeInternal: has(args, 'exclude-internal'),
    underReplicatedPartitions: has(args, 'under-replicated-partitions'),
    unavailablePartitions: has(args, 'unavailable-partitions'),
  };
}

/** Options and the actions they may go with (Kafka's checkInvalidArgs). */
const ALLOWED_WITH: readonly [string, readonly TopicAction[]][] = [
  ['config', ['create']],
  ['partitions', ['alter', 'create']],
  ['replication-factor', ['create']],
  ['replica-assignment', ['alter', 'create']],
  ['under-replicated-partitions', ['describe']],
  ['unavailable-partitions', ['describe']],
  ['if-exists', ['alter', 'delete', 'describe']],
  ['if-not-exists', ['create']],
  ['exclude-internal', ['list', 'describe']],
];

function checkInvalidArgs(args: Parsed, action: TopicAction): void {
  for (const [option, actions] of ALLOWED_WITH) {
    if (has(args, option) && !actions.includes(action)) {
      throw new UsageError(`Option "[${option}]" can't be used with option "[${action}]"`);
    }
  }
  if (action === 'create' && has(args, 'replica-assignment')) {
    for (const other of ['partitions', 'replication-factor']) {
      if (has(args, other)) {
        throw new UsageError(
          `Option "[replica-assignment]" can't be used with option "[${other}]"`);
      }
    }
  }
}

/** An int32 option value, with joptsimple's message when it is not one. */
function intOption(args: Parsed, name: string): number | undefined {
  const text = args[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text.trim()) ||
    value < -2_147_483_648 || value > 2_147_483_647) {
    throw new UsageError(`Cannot parse argument '${String(text)}' of option ${name}`);
  }
  return value;
}
