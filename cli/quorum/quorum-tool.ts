/**
 * kafka-metadata-quorum's engine (cli/kafka-metadata-quorum.ts is the command): parse, ask
 * through the admin client (DescribeCluster for the cluster id, DescribeQuorum) and print
 * Kafka's lines (describe.ts). Bad arguments and failures print one line on stderr and give 1;
 * anything else is a bug and is rethrown.
 */
import { CommandError, ToolConfigError, UsageError, isYargsError } from '../common/tool-errors.js';
import { withReport } from '../common/tool-main.js';
import type { ToolReport } from '../common/tool-main.js';
import { linePrinter } from '../common/tool-io.js';
import type { ToolEngine } from '../common/tool-io.js';

const main: ToolEngine = async (argv, io) => {
  const print = linePrinter(io.stdout);
  const { checkDescribe, parseQuorumArgs } = await import('./options.js');
  const args = await parseQuorumArgs(argv, print);
  if (args === 'help') return 0;
  const { toolClientConfig } = await import('../common/client-config.js');
  const { config, warnings } = await toolClientConfig({
    clientId: 'kafka-metadata-quorum', bootstrap: args.bootstrap, commandConfig: args.commandConfig,
  });
  for (const warning of warnings) io.stderr.write(`WARN ${warning}\n`);
  const options = checkDescribe(args);
  const [{ Kafka }, { replicationLines, statusLines }] = await Promise.all([
    import('../../client/index.js'), import('./describe.js'),
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
};

const report: ToolReport = async (error, io, argv) => {
  if (error instanceof UsageError || error instanceof ToolConfigError ||
    error instanceof CommandError) {
    io.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (isYargsError(error)) {
    // yargs throws some parse errors (an option without its value) instead of calling .fail().
    const { argparseMessage } = await import('./options.js');
    io.stderr.write(`kafka-metadata-quorum: error: ${argparseMessage(error.message, argv)}\n`);
    return 1;
  }
  const { RaftkaError } = await import('../../client/index.js');
  if (!(error instanceof RaftkaError)) throw error;
  io.stderr.write(`${error.message}\n`);
  return 1;
};

export const quorumTool: ToolEngine = withReport(main, report);
