/**
 * kafka-console-consumer's engine (cli/kafka-console-consumer.ts is the command): parse, build
 * the consumer from its properties, read (console-consumer.ts) onto stdout until an end
 * condition or the shutdown hook (SIGINT/SIGTERM), then print `Processed a total of N
 * messages` on stderr. A failed consumer prints Kafka's ERROR line first and gives 1.
 */
import { once } from 'node:events';
import { toolErrors, withReport } from '../common/tool-main.js';
import type { ToolEngine } from '../common/tool-io.js';
import { linePrinter } from '../common/tool-io.js';

const main: ToolEngine = async (argv, io) => {
  const { parseConsoleConsumerOptions } = await import('./options.js');
  const options = await parseConsoleConsumerOptions(argv, linePrinter(io.stdout));
  if (options === 'help') return 0;
  const [{ consumerSettings }, { formatterConfig }] = await Promise.all([
    import('./consumer-properties.js'), import('./message-formatter.js'),
  ]);
  const reset = options.start === 'earliest' ? 'earliest' : 'latest';
  const settings = consumerSettings(options.consumerProperties, {
    bootstrap: options.bootstrapServer, clientId: 'console-consumer',
    overrides: options.consumerProperties.has('auto.offset.reset') ? {}
      : { autoOffsetReset: reset },
  });
  for (const warning of settings.warnings) io.stderr.write(`WARN ${warning}\n`);
  const [{ Kafka }, { runConsoleConsumer }] = await Promise.all([
    import('../../client/index.js'), import('./console-consumer.js'),
  ]);
  const consumer = new Kafka(settings.kafka).consumer(settings.consumer);
  const stop = new AbortController();
  const abort = () => stop.abort();
  const undoShutdown = io.onShutdown(abort);
  // A closed stdout (`| head`) ends the run, as Kafka's checkErr does.
  io.stdout.on('error', abort);
  let result;
  try {
    await consumer.connect();
    result = await runConsoleConsumer({
      topic: options.topic, partition: options.partition, start: options.start,
      maxMessages: options.maxMessages, timeoutMs: options.timeoutMs,
      formatter: formatterConfig(options.formatterProperties),
    }, consumer, { write: (chunk) => write(io.stdout, chunk, stop.signal), signal: stop.signal });
  } finally {
    await consumer.disconnect();
    undoShutdown();
  }
  if (result.error !== undefined) {
    io.stderr.write('ERROR Error processing message, terminating consumer process: ' +
      `${result.error.message}\n`);
  }
  io.stderr.write(`Processed a total of ${result.count} messages\n`);
  return result.error === undefined ? 0 : 1;
};

/** Writes, then waits for the stream to drain if it is full, unless the run is aborted. */
async function write(stdout: NodeJS.WritableStream, chunk: Buffer,
  signal: AbortSignal): Promise<void> {
  if (stdout.write(chunk) || signal.aborted) return;
  try {
    await once(stdout, 'drain', { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

export const consoleConsumerTool: ToolEngine = withReport(main, toolErrors());
