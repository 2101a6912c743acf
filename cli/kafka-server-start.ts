#!/usr/bin/env node
/**
 * kafka-server-start <config> [--override key=value ...]: runs a raftka node with the roles of
 * its `process.roles`. It refuses to start on unformatted or inconsistent storage with Kafka's
 * messages. SIGTERM or SIGINT shut it down in order (a leader hands over first) and exit 0.
 */
import { ConfigError, StorageError } from '../config/errors.js';

const log = (line: string): void => {
  process.stdout.write(`[${new Date().toISOString()}] ${line}\n`);
};

async function main(argv: readonly string[]): Promise<number> {
  const { default: yargs } = await import('yargs');
  const args = await yargs([...argv])
    .scriptName('kafka-server-start')
    .usage('$0 <server.properties> [--override property=value]*')
    .command('$0 <config>', 'Start a raftka server.', (y) => y.positional('config', {
      type: 'string', describe: 'The server configuration file.', demandOption: true,
    }))
    .option('override', {
      type: 'string', array: true, requiresArg: true,
      describe: 'Optional property that overrides one in the configuration file (repeatable).',
    })
    .strict()
    .fail((message, error) => {
      throw new ConfigError([error?.message ?? message]);
    })
    .help()
    .parseAsync();
  const { loadServerConfig } = await import('../config/load.js');
  const { checkStorageForStartup } = await import('../config/storage-check.js');
  const { config, warnings } = loadServerConfig(args.config as string, args.override ?? []);
  for (const warning of warnings) process.stderr.write(`WARN ${warning}\n`);
  if (config.isBroker) {
    throw new ConfigError([
      'process.roles: the broker role is not implemented yet; run a controller-only node',
    ]);
  }
  const identity = await checkStorageForStartup(config);
  const nodeId = config['node.id'];
  const { startControllerServer } = await import('../broker/controller-server.js');
  const server = await startControllerServer({ config, clusterId: identity.clusterId, log });
  log(`[KafkaRaftServer nodeId=${nodeId}] Kafka Server started (cluster ${identity.clusterId})`);
  return await new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      log(`[KafkaRaftServer nodeId=${nodeId}] Shutting down on ${signal}`);
      server.shutdown().then(() => {
        log(`[KafkaRaftServer nodeId=${nodeId}] shut down completed`);
        resolve(0);
      }, (error: unknown) => {
        process.stderr.write(`ERROR shutdown failed: ${String(error)}\n`);
        resolve(1);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const message of error.messages) process.stderr.write(`${message}\n`);
    } else if (error instanceof StorageError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      throw error;
    }
    process.exit(1);
  },
);
