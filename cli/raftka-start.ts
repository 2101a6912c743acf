#!/usr/bin/env node
/**
 * raftka-start (what `npm start` runs): a working cluster with embedded defaults.
 *   raftka-start [--data-dir data/raftka] [--override key=value]*   one combined node on
 *                                                                   localhost:9092
 *   raftka-start --cluster                                          the three nodes of
 *                                                                   config/cluster/
 * The first run formats the data directory and prints the new cluster id.
 */
import { exitWhenDone, log, runUntilSignal } from './server/run-server.js';

async function main(argv: readonly string[]): Promise<number> {
  const { default: yargs } = await import('yargs');
  const { ConfigError } = await import('../config/errors.js');
  const args = await yargs([...argv])
    .scriptName('raftka-start')
    .usage('$0 [--data-dir dir] [--override property=value]* | $0 --cluster')
    .option('data-dir', {
      type: 'string', default: 'data/raftka', requiresArg: true,
      describe: 'Where the single node keeps its logs (formatted on first run).',
    })
    .option('override', {
      type: 'string', array: true, requiresArg: true,
      describe: 'A server property that overrides an embedded default (repeatable).',
    })
    .option('cluster', {
      type: 'boolean', default: false,
      describe: 'Start the three combined nodes of config/cluster/ instead.',
    })
    .strict()
    .fail((message, error) => {
      throw new ConfigError([error?.message ?? message]);
    })
    .help()
    .parseAsync();
  const print = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  if (args.cluster) {
    const { startThreeNodes } = await import('./quickstart/three-nodes.js');
    return await startThreeNodes(print);
  }
  const { embeddedConfig, ensureFormatted } = await import('./quickstart/single-node.js');
  const { startKafkaNode } = await import('../server/kafka-node.js');
  const config = embeddedConfig(args['data-dir'], args.override ?? []);
  const clusterId = await ensureFormatted(config, print);
  const node = await startKafkaNode({
    config, clusterId, log,
    onFatal: (error) => {
      process.stderr.write(`ERROR ${error.message}\n`);
      process.exit(1);
    },
  });
  print(`raftka is ready: bootstrap server localhost:9092 (cluster ${clusterId}); ` +
    'Ctrl-C stops it');
  return await runUntilSignal(node, config['node.id'], clusterId);
}

exitWhenDone(main(process.argv.slice(2)));
