/**
 * kafka-storage's engine (cli/kafka-storage.ts is the command): yargs parses, config/ and
 * format.ts / info.ts do the work. Every expected failure is one line per problem on stderr
 * and exit code 1, never a stack trace. yargs, the config loader, zod and the storage code are
 * imported lazily so that `random-uuid` starts fast (scripts call it in loops).
 */
import type { Argv } from 'yargs';
import { ConfigError, StorageError } from '../../config/errors.js';
import { randomUuid } from '../../lib/uuid.js';
import { withReport } from '../common/tool-main.js';
import type { ToolReport } from '../common/tool-main.js';
import { linePrinter } from '../common/tool-io.js';
import type { ToolEngine, ToolIo } from '../common/tool-io.js';

class UsageError extends Error {}

/** A repeated option keeps its last value, as argparse4j's store action does for Kafka. */
const lastString = (value: string | string[]): string =>
  Array.isArray(value) ? value[value.length - 1]! : value;
const lastBoolean = (value: boolean | boolean[]): boolean =>
  Array.isArray(value) ? value[value.length - 1]! : value;

interface CommonArgs {
  readonly config: string;
  readonly override?: readonly string[];
}

const configOptions = <T>(y: Argv<T>) => y
  .option('config', {
    alias: 'c', type: 'string', demandOption: true, requiresArg: true, coerce: lastString,
    describe: 'The server configuration file to use.',
  })
  .option('override', {
    type: 'string', array: true, requiresArg: true,
    describe: 'A key=value applied on top of the configuration file (repeatable).',
  });

async function loadConfig(args: CommonArgs, io: ToolIo) {
  const { loadServerConfig } = await import('../../config/load.js');
  const { config, warnings } = loadServerConfig(args.config, args.override ?? []);
  for (const warning of warnings) io.stderr.write(`WARN ${warning}\n`);
  return config;
}

/** yargs prints --help itself (on the process's stdout) and exits; tests spawn that case. */
const main: ToolEngine = async (argv, io) => {
  const print = linePrinter(io.stdout);
  if (argv.length === 1 && argv[0] === 'random-uuid') {
    print(randomUuid());
    return 0;
  }
  const { default: yargs } = await import('yargs');
  let exitCode = 0;
  await yargs([...argv])
    .scriptName('kafka-storage')
    .usage('$0 <command> [options]\n\nThe raftka storage tool.')
    .command('random-uuid', 'Print a random UUID.', {}, () => print(randomUuid()))
    .command('info', 'Get information about the log directories on this node.', configOptions,
      async (args) => {
        const config = await loadConfig(args, io);
        const { storageInfo } = await import('./info.js');
        exitCode = await storageInfo(config, print);
      })
    .command('format', 'Format the log directories on this node.', formatOptions, async (args) => {
      const config = await loadConfig(args, io);
      const { formatStorage } = await import('./format.js');
      await formatStorage({
        config,
        clusterId: args['cluster-id'],
        ignoreFormatted: args['ignore-formatted'],
        standalone: args.standalone,
        noInitialControllers: args['no-initial-controllers'],
        print,
        releaseVersion: args['release-version'],
        initialControllers: args['initial-controllers'],
      });
    })
    .demandCommand(1, 'Specify a command: random-uuid, format or info.')
    .strict()
    // `--no-initial-controllers` is a flag of its own, not the negation of --initial-controllers.
    .parserConfiguration({ 'boolean-negation': false })
    .version(false)
    .help()
    .alias('help', 'h')
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .parseAsync();
  return exitCode;
};

function formatOptions<T>(y: Argv<T>) {
  return configOptions(y)
    .option('cluster-id', {
      alias: 't', type: 'string', demandOption: true, requiresArg: true, coerce: lastString,
      describe: 'The cluster ID to use.',
    })
    .option('ignore-formatted', {
      alias: 'g', type: 'boolean', coerce: lastBoolean,
      describe: 'Skip over already formatted directories rather than failing.',
    })
    .option('release-version', {
      alias: 'r', type: 'string', requiresArg: true, coerce: lastString,
      describe: 'The metadata.version to start with, e.g. 3.9-IV0 or 3.9 (default: the latest).',
    })
    .option('standalone', {
      alias: 's', type: 'boolean', coerce: lastBoolean,
      describe: 'Start a dynamic controller quorum with this controller as the only voter.',
    })
    .option('initial-controllers', {
      alias: 'I', type: 'string', requiresArg: true, coerce: lastString,
      describe: 'The initial voters, id@host:port:directory-id,... (the same on every node).',
    })
    .option('no-initial-controllers', {
      alias: 'N', type: 'boolean', coerce: lastBoolean,
      describe: 'Join a dynamic quorum whose voters are set elsewhere.',
    })
    .conflicts('standalone', ['initial-controllers', 'no-initial-controllers'])
    .conflicts('initial-controllers', 'no-initial-controllers');
}

/** Prints an expected failure as one line per problem; anything else is a bug and rethrown. */
const report: ToolReport = (error, io) => {
  if (error instanceof ConfigError) {
    for (const warning of error.warnings) io.stderr.write(`WARN ${warning}\n`);
    for (const message of error.messages) io.stderr.write(`${message}\n`);
  } else if (error instanceof StorageError) {
    io.stderr.write(`${error.message}\n`);
  } else if (error instanceof UsageError || (error instanceof Error && error.name === 'YError')) {
    // yargs reports some parse errors (a flag without its value) as a thrown YError rather
    // than through .fail().
    io.stderr.write(`kafka-storage: error: ${error.message} (see kafka-storage --help)\n`);
  } else {
    throw error;
  }
  return 1;
};

export const storageTool: ToolEngine = withReport(main, report);
