#!/usr/bin/env node
/**
 * kafka-consumer-perf-test: the consumer benchmark, as Kafka's kafka-consumer-perf-test.sh.
 *   kafka-consumer-perf-test --bootstrap-server host:port --topic t --messages 100000
 *       [--from-latest] [--fetch-size bytes] [--timeout ms] [--show-detailed-stats]
 *       [--reporting-interval ms] [--hide-header] [--json]
 * Prints Kafka's header and result row (cli/perf/consumer-perf.ts); with --json, then one JSON
 * line. A run that times out prints Kafka's WARNING and its row, and exits 0 as Kafka does.
 * Bad arguments print one line on stderr and exit 1; a client failure prints `ERROR <message>`
 * and exits 1.
 */
import { runToolMain } from './common/tool-main.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const { parseConsumerPerfOptions } = await import('./perf/consumer-perf-options.js');
  const command = await parseConsumerPerfOptions(argv);
  if (command === 'help') return 0;
  const { consumerPerfJson, runConsumerPerf } = await import('./perf/consumer-perf.js');
  const stats = await runConsumerPerf({
    ...command.options, onWarning: (warning) => printError(`WARN ${warning}`),
  }, print);
  if (command.json) print(consumerPerfJson(stats));
  return 0;
}

runToolMain(main);
