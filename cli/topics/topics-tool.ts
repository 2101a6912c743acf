/**
 * kafka-topics' engine (cli/kafka-topics.ts is the command): parse, build the admin client from
 * --command-config and --bootstrap-server, run the action (topic-command.ts) and print Kafka's
 * lines. A failure of the operation prints `Error while executing topic command : <message>`
 * on stdout and gives 1, as Kafka does; bad arguments and an unusable client config print one
 * line on stderr and give 1. Anything else is a bug and is rethrown. The client and yargs are
 * imported lazily.
 */
import {
  CommandError, ToolConfigError, UsageError, isYargsError, joptMessage,
} from '../common/tool-errors.js';
import { withReport } from '../common/tool-main.js';
import type { ToolReport } from '../common/tool-main.js';
import { linePrinter } from '../common/tool-io.js';
import type { ToolEngine } from '../common/tool-io.js';

const main: ToolEngine = async (argv, io) => {
  const print = linePrinter(io.stdout);
  const { parseTopicOptions } = await import('./options.js');
  const options = await parseTopicOptions(argv, print);
  if (options === 'help') return 0;
  const { toolClientConfig } = await import('../common/client-config.js');
  const { config, warnings } = await toolClientConfig({
    clientId: 'kafka-topics', bootstrap: options.bootstrapServer,
    commandConfig: options.commandConfig,
  });
  for (const warning of warnings) io.stderr.write(`WARN ${warning}\n`);
  const [{ Kafka }, { runTopicCommand }] = await Promise.all([
    import('../../client/index.js'), import('./topic-command.js'),
  ]);
  const admin = new Kafka(config).admin();
  try {
    await runTopicCommand(options, admin, print);
    return 0;
  } catch (error) {
    print(`Error while executing topic command : ${await commandFailure(error)}`);
    return 1;
  } finally {
    await admin.disconnect();
  }
};

/** The message of an expected failure of the operation; anything else is a bug. */
async function commandFailure(error: unknown): Promise<string> {
  if (error instanceof CommandError) return error.message;
  const { RaftkaAggregateError, RaftkaError } = await import('../../client/index.js');
  if (error instanceof RaftkaAggregateError) return error.errors[0]?.message ?? error.message;
  if (error instanceof RaftkaError) return error.message;
  throw error;
}

const report: ToolReport = (error, io) => {
  if (error instanceof UsageError || error instanceof ToolConfigError) {
    io.stderr.write(`${error.message}\n`);
  } else if (isYargsError(error)) {
    io.stderr.write(`${joptMessage(error.message)}\n`);
  } else {
    throw error;
  }
  return 1;
};

export const topicsTool: ToolEngine = withReport(main, report);
