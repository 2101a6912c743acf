/**
 * kafka-metadata-quorum's arguments, checked in the order and with the messages of Kafka's
 * MetadataQuorumCommand (argparse4j errors carry the `kafka-metadata-quorum: error:` prefix;
 * its TerseExceptions do not). Only the describe sub-command exists so far.
 */
import type { Argv } from 'yargs';
import { UsageError, lastValue } from '../common/tool-errors.js';

export interface QuorumOptions {
  readonly bootstrap: string;
  /** True for --bootstrap-controller (served the same way; see the tool's comment). */
  readonly viaController: boolean;
  readonly commandConfig: string | undefined;
  readonly view: 'status' | 'replication';
  readonly humanReadable: boolean;
}

/** A describe request whose --status/--replication flags are checked after the config loads. */
export interface ParsedQuorumArgs {
  readonly bootstrap: string;
  readonly viaController: boolean;
  readonly commandConfig: string | undefined;
  readonly status: boolean;
  readonly replication: boolean;
  readonly humanReadable: boolean;
}

const PROG = 'kafka-metadata-quorum';
const argparseError = (message: string) => new UsageError(`${PROG}: error: ${message}`);

const HELP = {
  status: 'A short summary of the quorum status and the other provides detailed information ' +
    'about the status of replication.',
  replication: 'Detailed information about the status of replication',
  humanReadable: 'Human-readable output',
  bootstrapServer: 'A comma-separated list of host:port pairs to use for establishing the ' +
    'connection to the Kafka cluster.',
  bootstrapController: 'A comma-separated list of host:port pairs of the controllers.',
  commandConfig: 'Property file containing configs to be passed to Admin Client.',
  usage: '$0 (--bootstrap-server | --bootstrap-controller) <host:port> describe ' +
    '(--status | --replication [--human-readable])\n\n' +
    'This tool describes kraft metadata quorum status.',
} as const;

const describeOptions = (y: Argv) => y
  .option('status', { type: 'boolean', coerce: lastValue, describe: HELP.status })
  .option('replication', { type: 'boolean', coerce: lastValue, describe: HELP.replication })
  .option('human-readable', { type: 'boolean', coerce: lastValue, describe: HELP.humanReadable });

const stringOption = (describe: string) =>
  ({ type: 'string', requiresArg: true, coerce: lastValue, describe }) as const;

/** The arguments, or 'help' once --help printed the usage through `print`. */
export async function parseQuorumArgs(
  argv: readonly string[], print: (text: string) => void,
): Promise<ParsedQuorumArgs | 'help'> {
  const { default: yargs } = await import('yargs');
  const parser = yargs([...argv])
    .scriptName(PROG)
    .usage(HELP.usage)
    .option('bootstrap-server', stringOption(HELP.bootstrapServer))
    .option('bootstrap-controller', stringOption(HELP.bootstrapController))
    .option('command-config', stringOption(HELP.commandConfig))
    .command('describe', 'Describe the metadata quorum info', describeOptions)
    .strict()
    .parserConfiguration({ 'boolean-negation': false, 'camel-case-expansion': false })
    .version(false)
    .help(false)
    .option('help', { alias: 'h', type: 'boolean', describe: 'show this help message and exit' })
    .fail((message, error) => {
      throw error ?? argparseError(argparseMessage(message, argv));
    });
  const args = await parser.parseAsync() as Record<string, unknown>;
  if (args['help'] === true) {
    parser.showHelp(print);
    return 'help';
  }
  const server = args['bootstrap-server'] as string | undefined;
  const controller = args['bootstrap-controller'] as string | undefined;
  if (server !== undefined && controller !== undefined) {
    throw argparseError(
      'argument --bootstrap-controller: not allowed with argument --bootstrap-server');
  }
  if (server === undefined && controller === undefined) {
    throw argparseError(
      'one of the arguments --bootstrap-server --bootstrap-controller is required');
  }
  const command = (args['_'] as unknown[])[0];
  if (command === undefined) throw argparseError('too few arguments');
  return {
    bootstrap: (server ?? controller)!,
    viaController: controller !== undefined,
    commandConfig: args['command-config'] as string | undefined,
    status: args['status'] === true,
    replication: args['replication'] === true,
    humanReadable: args['human-readable'] === true,
  };
}

/** Kafka's TerseException checks of `describe`. */
export function checkDescribe(args: ParsedQuorumArgs): QuorumOptions {
  if (args.status && args.replication) {
    throw new UsageError('Only one of --status or --replication should be specified with ' +
      'describe sub-command');
  }
  if (!args.status && !args.replication) {
    throw new UsageError('One of --status or --replication must be specified with describe ' +
      'sub-command');
  }
  if (args.status && args.humanReadable) {
    throw new UsageError('The option --human-readable is only supported along with --replication');
  }
  return {
    bootstrap: args.bootstrap, viaController: args.viaController, commandConfig: args.commandConfig,
    view: args.status ? 'status' : 'replication', humanReadable: args.humanReadable,
  };
}

/** yargs' wording turned into argparse4j's (yargs names unknown options without dashes). */
export function argparseMessage(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown !== null) {
    const first = unknown[1]!.split(', ')[0]!;
    const option = argv.find((arg) => arg.replace(/^-+/, '').split('=')[0] === first &&
      arg.startsWith('-'));
    return option !== undefined ? `unrecognized arguments: '${option}'`
      : `argument command: invalid choice: '${first}' (choose from 'describe')`;
  }
  const missing = /^Not enough arguments following: (\S+)/.exec(message);
  if (missing !== null) return `argument --${missing[1]}: expected one argument`;
  return message;
}
