#!/usr/bin/env node
/**
 * kafka-topics: create, list, describe, delete and alter topics, as Kafka's kafka-topics.sh.
 *   kafka-topics --bootstrap-server host:port --create --topic t [--partitions n]
 *       [--replication-factor n] [--config k=v]... [--if-not-exists]
 *   kafka-topics --bootstrap-server host:port --list|--describe|--delete|--alter
 *       [--topic regex] [--partitions n] [--if-exists] ...
 * Output is Kafka's, line for line (cli/topics/). Failures of the operation print
 * `Error while executing topic command : <message>` on stdout and exit 1, as Kafka does; bad
 * arguments print one line on stderr and exit 1. No stack traces: anything else is a bug and
 * is rethrown. The client and yargs are imported lazily.
 */
import {
  CommandError, ToolConfigError, UsageError, isYargsError, joptMessage,
} from './common/tool-errors.js';
import { runMain } from './common/tool-main.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const { parseTopicOptions } = await import('./topics/options.js');
  const options = await parseTopicOptions(argv);
  if (options === 'help') return 0;
  const { toolClientConfig } = await import('./common/client-config.js');
  const { config, warnings } = await toolClientConfig({
    clientId: 'kafka-topics', bootstrap: options.bootstrapServer,
    commandConfig: options.commandConfig,
  });
  for (const warning of warnings) process.stderr.write(`WARN ${warning}\n`);
  const [{ Kafka }, { runTopicCommand }] = await Promise.all([
    import('../client/index.js'), import('./topics/topic-command.js'),
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
}

/** The message of an expected failure of the operation; anything else is a bug. */
async function commandFailure(error: unknown): Promise<string> {
  if (error instanceof CommandError) return error.message;
  const { RaftkaAggregateError, RaftkaError } = await import('../client/index.js');
  if (error instanceof RaftkaAggregateError) return error.errors[0]?.message ?? error.message;
  if (error instanceof RaftkaError) return error.message;
  throw error;
}

function report(error: unknown): number {
  if (error instanceof UsageError || error instanceof ToolConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (isYargsError(error)) {
    process.stderr.write(`${joptMessage(error.message)}\n`);
  } else {
    throw error;
  }
  return 1;
}

runMain(main, report);
