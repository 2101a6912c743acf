#!/usr/bin/env node
/**
 * kafka-producer-perf-test: the producer benchmark, as Kafka's kafka-producer-perf-test.sh.
 *   kafka-producer-perf-test --topic t --num-records 100000 --record-size 100 --throughput -1
 *       --producer-props bootstrap.servers=host:port acks=1 linger.ms=5 [--json]
 * Prints Kafka's progress line every 5 s and its total line (cli/perf/producer-perf.ts); with
 * --json, then one JSON line with the same numbers. Failed records are logged on stderr and
 * the run goes on (exit 0, as Kafka), except a failure of the first record, which ends it
 * (exit 1). Bad arguments print argparse4j's one-line error on stderr and exit 1.
 */
import { runToolMain } from './common/tool-main.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const { parseProducerPerfOptions } = await import('./perf/producer-perf-options.js');
  const command = await parseProducerPerfOptions(argv, print);
  if (command === 'help') return 0;
  const { producerPerfJson, runProducerPerf } = await import('./perf/producer-perf.js');
  const reported = new Set<string>();
  const stats = await runProducerPerf({
    ...command.options,
    onWarning: (warning) => printError(`WARN ${warning}`),
    // One line per distinct failure: Kafka prints a stack trace per record.
    onError: (error) => {
      if (reported.has(error.message)) return;
      reported.add(error.message);
      printError(`ERROR Error when sending a record: ${error.message}`);
    },
  }, print);
  if (stats.failed > 0) printError(`ERROR ${stats.failed} records failed`);
  if (command.json) print(producerPerfJson(stats));
  return 0;
}

runToolMain(main, {
  parseMessage: async (message) => {
    const { argparseMessage } = await import('./perf/producer-perf-options.js');
    return argparseMessage('producer-performance', message);
  },
});
