/**
 * kafka-console-producer's engine (cli/kafka-console-producer.ts is the command): parse, build
 * the producer from its properties, and send each line of stdin (console-producer.ts) until
 * the input ends or the shutdown hook (SIGINT/SIGTERM) stops reading. A bad line prints
 * Kafka's one-line message on stderr and gives 1, like bad arguments.
 */
import { toolErrors, withReport } from '../common/tool-main.js';
import type { ToolEngine } from '../common/tool-io.js';
import { linePrinter } from '../common/tool-io.js';

const main: ToolEngine = async (argv, io) => {
  const { parseConsoleProducerOptions } = await import('./options.js');
  const options = await parseConsoleProducerOptions(argv, linePrinter(io.stdout));
  if (options === 'help') return 0;
  const [{ producerSettings }, { lineReaderConfig }] = await Promise.all([
    import('../common/producer-properties.js'), import('./line-reader.js'),
  ]);
  lineReaderConfig(options.readerProperties); // refuse a bad reader configuration up front
  const settings = producerSettings(options.producerProperties, 'console-producer');
  for (const warning of settings.warnings) io.stderr.write(`WARN ${warning}\n`);
  const [{ Kafka }, { runConsoleProducer }] = await Promise.all([
    import('../../client/index.js'), import('./console-producer.js'),
  ]);
  const producer = new Kafka(settings.kafka).producer(settings.producer);
  const stop = new AbortController();
  const undoShutdown = io.onShutdown(() => stop.abort());
  try {
    await producer.connect();
    return await runConsoleProducer(
      { topic: options.topic, sync: options.sync, readerProperties: options.readerProperties,
        send: settings.send },
      producer,
      { input: io.stdin, prompt: io.interactive, write: (text) => void io.stdout.write(text),
        error: linePrinter(io.stderr), signal: stop.signal },
    );
  } finally {
    await producer.disconnect();
    undoShutdown();
  }
};

export const consoleProducerTool: ToolEngine = withReport(main, toolErrors({
  isExpected: async (error) => {
    const { LineReaderError } = await import('./line-reader.js');
    return error instanceof LineReaderError;
  },
}));
