/**
 * kafka-consumer-perf-test's engine (cli/kafka-consumer-perf-test.ts is the command): parse,
 * run the benchmark (consumer-perf.ts) printing Kafka's header and rows, and the JSON line with
 * --json. A run that times out prints Kafka's WARNING and its row and gives 0, as Kafka does.
 * Bad arguments print one line on stderr and give 1; a client failure prints `ERROR <message>`.
 */
import { toolErrors, withReport } from '../common/tool-main.js';
import { linePrinter } from '../common/tool-io.js';
import type { ToolEngine } from '../common/tool-io.js';

const main: ToolEngine = async (argv, io) => {
  const print = linePrinter(io.stdout);
  const printError = linePrinter(io.stderr);
  const { parseConsumerPerfOptions } = await import('./consumer-perf-options.js');
  const command = await parseConsumerPerfOptions(argv, print);
  if (command === 'help') return 0;
  const { consumerPerfJson, runConsumerPerf } = await import('./consumer-perf.js');
  const stats = await runConsumerPerf({
    ...command.options, onWarning: (warning) => printError(`WARN ${warning}`),
  }, print);
  if (command.json) print(consumerPerfJson(stats));
  return 0;
};

export const consumerPerfTool: ToolEngine = withReport(main, toolErrors());
