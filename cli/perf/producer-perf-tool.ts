/**
 * kafka-producer-perf-test's engine (cli/kafka-producer-perf-test.ts is the command): parse,
 * run the benchmark (producer-perf.ts) printing Kafka's lines, and the JSON line with --json.
 * Failed records are logged on stderr once per distinct failure and the run goes on (0, as
 * Kafka); a failure of the first record ends it (1). Bad arguments print argparse4j's one-line
 * error on stderr and give 1.
 */
import { toolErrors, withReport } from '../common/tool-main.js';
import { linePrinter } from '../common/tool-io.js';
import type { ToolEngine } from '../common/tool-io.js';

const main: ToolEngine = async (argv, io) => {
  const print = linePrinter(io.stdout);
  const printError = linePrinter(io.stderr);
  const { parseProducerPerfOptions } = await import('./producer-perf-options.js');
  const command = await parseProducerPerfOptions(argv, print);
  if (command === 'help') return 0;
  const { producerPerfJson, runProducerPerf } = await import('./producer-perf.js');
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
};

export const producerPerfTool: ToolEngine = withReport(main, toolErrors({
  parseMessage: async (message) => {
    const { argparseMessage } = await import('./producer-perf-options.js');
    return argparseMessage('producer-performance', message);
  },
}));
