#!/usr/bin/env node
/**
 * kafka-metadata-quorum: describes the metadata (Raft) quorum, as Kafka's
 * kafka-metadata-quorum.sh does.
 *   kafka-metadata-quorum --bootstrap-server host:port describe --status
 *   kafka-metadata-quorum --bootstrap-server host:port describe --replication [--human-readable]
 * It asks through the admin client (DescribeCluster for the cluster id, DescribeQuorum); a
 * broker answers DescribeQuorum by asking the quorum. --bootstrap-controller is accepted and
 * its addresses are used the same way, so they must serve the client protocol.
 * Bad arguments and failures print one line on stderr and exit 1; no stack traces.
 */
import {
  CommandError, ToolConfigError, UsageError, isYargsError,
} from './common/tool-errors.js';
import { runMain } from './common/tool-main.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const { checkDescribe, parseQuorumArgs } = await import('./quorum/options.js');
  const args = await parseQuorumArgs(argv);
  if (args === 'help') return 0;
  const { toolClientConfig } = await import('./common/client-config.js');
  const { config, warnings } = await toolClientConfig({
    clientId: 'kafka-metadata-quorum', bootstrap: args.bootstrap, commandConfig: args.commandConfig,
  });
  for (const warning of warnings) process.stderr.write(`WARN ${warning}\n`);
  const options = checkDescribe(args);
  const [{ Kafka }, { replicationLines, statusLines }] = await Promise.all([
    import('../client/index.js'), import('./quorum/describe.js'),
  ]);
  const admin = new Kafka(config).admin();
  try {
    if (options.view === 'status') {
      const { clusterId } = await admin.describeCluster();
      statusLines(clusterId, await admin.describeQuorum()).forEach(print);
    } else {
      const quorum = await admin.describeQuorum();
      replicationLines(quorum, options.humanReadable, Date.now()).forEach(print);
    }
    return 0;
  } finally {
    await admin.disconnect();
  }
}

async function report(error: unknown, argv: readonly string[]): Promise<number> {
  if (error instanceof UsageError || error instanceof ToolConfigError ||
    error instanceof CommandError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (isYargsError(error)) {
    // yargs throws some parse errors (an option without its value) instead of calling .fail().
    const { argparseMessage } = await import('./quorum/options.js');
    process.stderr.write(`kafka-metadata-quorum: error: ${argparseMessage(error.message, argv)}\n`);
    return 1;
  }
  const { RaftkaError } = await import('../client/index.js');
  if (!(error instanceof RaftkaError)) throw error;
  process.stderr.write(`${error.message}\n`);
  return 1;
}

runMain(main, (error) => report(error, process.argv.slice(2)));
