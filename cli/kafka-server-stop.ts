#!/usr/bin/env node
/**
 * kafka-server-stop [--process-role broker|controller] [--node-id N]: sends SIGTERM to the
 * raftka servers running on this host (all of them, or those matching the filters, as Kafka's
 * script does since KIP-1004), which then shut down in order (controlled shutdown). Prints
 * Kafka's "No kafka server to stop" and exits 1 when none matches.
 */
import { exitWhenDone } from './server/run-server.js';

async function main(argv: readonly string[]): Promise<number> {
  const { default: yargs } = await import('yargs');
  const { ConfigError } = await import('../config/errors.js');
  const { runningServers } = await import('./server/running-servers.js');
  const args = await yargs([...argv])
    .scriptName('kafka-server-stop')
    .usage('$0 [--process-role broker|controller] [--node-id id]')
    .option('process-role', {
      type: 'string', choices: ['broker', 'controller'], requiresArg: true,
      describe: 'Stop only the servers with this role.',
    })
    .option('node-id', {
      type: 'number', requiresArg: true, describe: 'Stop only the server with this node.id.',
    })
    .strict()
    .fail((message, error) => {
      throw new ConfigError([error?.message ?? message]);
    })
    .help()
    .parseAsync();
  const role = args['process-role'];
  const nodeId = args['node-id'];
  if (nodeId !== undefined && !Number.isInteger(nodeId)) {
    throw new ConfigError([`--node-id: ${String(nodeId)} is not a node id`]);
  }
  const matching = runningServers().filter((server) =>
    (role === undefined || server.roles.includes(role)) &&
    (nodeId === undefined || server.nodeId === nodeId));
  if (matching.length === 0) {
    process.stdout.write('No kafka server to stop\n');
    return 1;
  }
  for (const server of matching) process.kill(server.pid, 'SIGTERM');
  return 0;
}

exitWhenDone(main(process.argv.slice(2)));
