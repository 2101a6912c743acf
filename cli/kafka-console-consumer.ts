#!/usr/bin/env node
/**
 * kafka-console-consumer: writes the records of a topic to standard output, as Kafka's
 * kafka-console-consumer.sh does.
 *   kafka-console-consumer --bootstrap-server host:port --topic t [--from-beginning]
 *       [--partition p [--offset n|earliest|latest]] [--max-messages n] [--timeout-ms ms]
 *       [--property print.key=true --property key.separator=:] ...
 * Without --partition it reads every partition of the topic; it starts at the end unless
 * --from-beginning (or --offset). It ends after --max-messages records, after --timeout-ms
 * without a record, or on SIGINT/SIGTERM, printing `Processed a total of N messages` on stderr
 * and exiting 0. --group is accepted (consumer groups come later). If the consumer fails it
 * prints `ERROR Error processing message, terminating consumer process: <message>` and the
 * count, and exits 1 (Kafka exits 0 there). Bad arguments print one line on stderr and exit 1.
 */
import { once } from 'node:events';
import { runToolMain } from './common/tool-main.js';

async function main(argv: readonly string[]): Promise<number> {
  const { parseConsoleConsumerOptions } = await import('./console-consumer/options.js');
  const options = await parseConsoleConsumerOptions(argv);
  if (options === 'help') return 0;
  const [{ consumerSettings }, { formatterConfig }] = await Promise.all([
    import('./console-consumer/consumer-properties.js'),
    import('./console-consumer/message-formatter.js'),
  ]);
  const reset = options.start === 'earliest' ? 'earliest' : 'latest';
  const settings = consumerSettings(options.consumerProperties, {
    bootstrap: options.bootstrapServer, clientId: 'console-consumer',
    overrides: options.consumerProperties.has('auto.offset.reset') ? {}
      : { autoOffsetReset: reset },
  });
  for (const warning of settings.warnings) process.stderr.write(`WARN ${warning}\n`);
  const [{ Kafka }, { runConsoleConsumer }] = await Promise.all([
    import('../client/index.js'), import('./console-consumer/console-consumer.js'),
  ]);
  const consumer = new Kafka(settings.kafka).consumer(settings.consumer);
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.once('SIGINT', abort).once('SIGTERM', abort);
  // A closed stdout (`| head`) ends the run, as Kafka's checkErr does.
  process.stdout.on('error', abort);
  let result;
  try {
    await consumer.connect();
    result = await runConsoleConsumer({
      topic: options.topic, partition: options.partition, start: options.start,
      maxMessages: options.maxMessages, timeoutMs: options.timeoutMs,
      formatter: formatterConfig(options.formatterProperties),
    }, consumer, { write: (chunk) => write(chunk, stop.signal), signal: stop.signal });
  } finally {
    await consumer.disconnect();
    process.off('SIGINT', abort).off('SIGTERM', abort);
  }
  if (result.error !== undefined) {
    process.stderr.write('ERROR Error processing message, terminating consumer process: ' +
      `${result.error.message}\n`);
  }
  process.stderr.write(`Processed a total of ${result.count} messages\n`);
  return result.error === undefined ? 0 : 1;
}

async function write(chunk: Buffer, signal: AbortSignal): Promise<void> {
  if (process.stdout.write(chunk) || signal.aborted) return;
  try {
    await once(process.stdout, 'drain', { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

runToolMain(main);
