/**
 * The life of a server process, shared by kafka-server-start and the Raft-only controller used
 * by benchmarks: parse `<config> [--override k=v]*`, load and check the configuration and the
 * storage (Kafka's messages, one line each, exit 1), start, log Kafka's start-up line, and on
 * SIGTERM or SIGINT shut down in order and exit 0.
 */
import { ConfigError, StorageError } from '../../config/errors.js';
import type { ServerConfig } from '../../config/server-config.js';
import { FatalBrokerError } from '../../server/broker/broker-lifecycle.js';

export interface StartedServer {
  shutdown(): Promise<void>;
}

export type ServerStarter = (options: {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly log: (line: string) => void;
  /** The server cannot go on (e.g. its registration was refused for good): exit 1. */
  readonly onFatal: (error: Error) => void;
}) => Promise<StartedServer>;

export const log = (line: string): void => {
  process.stdout.write(`[${new Date().toISOString()}] ${line}\n`);
};

async function run(
  argv: readonly string[],
  scriptName: string,
  start: ServerStarter,
): Promise<number> {
  const { default: yargs } = await import('yargs');
  const args = await yargs([...argv])
    .scriptName(scriptName)
    .usage('$0 <server.properties> [--override property=value]*')
    .command('$0 <config>', 'Start a raftka server.', (y) => y.positional('config', {
      type: 'string', describe: 'The server configuration file.', demandOption: true,
    }))
    .option('override', {
      type: 'string', array: true, requiresArg: true,
      describe: 'Optional property that overrides one in the configuration file (repeatable).',
    })
    .option('daemon', {
      type: 'boolean', default: false,
      describe: 'Run in the background, writing to $LOG_DIR/kafkaServer.out (LOG_DIR: ./logs).',
    })
    .strict()
    .fail((message, error) => {
      throw new ConfigError([error?.message ?? message]);
    })
    .help()
    .parseAsync();
  if (args.daemon) return await startDaemon(argv);
  const { loadServerConfig } = await import('../../config/load.js');
  const { checkStorageForStartup } = await import('../../config/storage-check.js');
  const { config, warnings } = loadServerConfig(args.config as string, args.override ?? []);
  for (const warning of warnings) process.stderr.write(`WARN ${warning}\n`);
  const identity = await checkStorageForStartup(config);
  const onFatal = (error: Error): void => {
    process.stderr.write(`ERROR ${error.message}\n`);
    process.exit(1);
  };
  const server = await start({ config, clusterId: identity.clusterId, log, onFatal });
  return await runUntilSignal(server, config['node.id'], identity.clusterId);
}

/**
 * --daemon (Kafka's -daemon): the same command without the flag, detached, its output appended
 * to $LOG_DIR/kafkaServer.out; this process exits 0 at once. Errors land in that file.
 */
async function startDaemon(argv: readonly string[]): Promise<number> {
  const { spawn } = await import('node:child_process');
  const { mkdirSync, openSync } = await import('node:fs');
  const { join, resolve } = await import('node:path');
  const logDir = resolve(process.env.LOG_DIR ?? 'logs');
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, 'kafkaServer.out'), 'a');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!,
    ...argv.filter((arg) => arg !== '--daemon')], {
    detached: true, stdio: ['ignore', out, out],
  });
  child.unref();
  return 0;
}

/** Logs Kafka's start-up line, then shuts the server down in order on SIGTERM or SIGINT. */
export async function runUntilSignal(
  server: StartedServer, nodeId: number, clusterId: string,
): Promise<number> {
  log(`[KafkaRaftServer nodeId=${nodeId}] Kafka Server started (cluster ${clusterId})`);
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

/** Runs the server and exits; expected failures print one line each, bugs crash loudly. */
export function runServerProcess(scriptName: string, start: ServerStarter): void {
  exitWhenDone(run(process.argv.slice(2), scriptName, start));
}

/** Exits with the code `work` resolves to; expected failures print one line each and exit 1. */
export function exitWhenDone(work: Promise<number>): void {
  work.then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError) {
        for (const message of error.messages) process.stderr.write(`${message}\n`);
      } else if (error instanceof StorageError) {
        process.stderr.write(`${error.message}\n`);
      } else if (error instanceof FatalBrokerError) {
        process.stderr.write(`ERROR ${error.message}\n`);
      } else {
        throw error;
      }
      process.exit(1);
    },
  );
}
