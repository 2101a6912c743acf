#!/usr/bin/env node
/**
 * kafka-console-producer: sends each line of standard input to a topic, as Kafka's
 * kafka-console-producer.sh does.
 *   kafka-console-producer --bootstrap-server host:port --topic t
 *       [--property parse.key=true --property key.separator=:] [--sync]
 *       [--request-required-acks all|-1|0|1] [--compression-codec [gzip]] [--timeout ms] ...
 * It exits 0 once the input ends and every record is acknowledged. A line without the key
 * separator prints `No key separator found on line number N: '<line>'` and exits 1 (unless
 * --property ignore.error=true); with --sync a failed send exits 1; otherwise failed sends are
 * logged on stderr, as Kafka's ErrorLoggingCallback logs them. The `>` prompt is printed only
 * when standard input is a terminal, so piped input gives clean output (Kafka always prints it).
 * SIGINT/SIGTERM stop reading and flush what was read. Bad arguments print one line on stderr
 * and exit 1; no stack traces. The client and yargs are imported lazily.
 */
import { runToolMain } from './common/tool-main.js';

async function main(argv: readonly string[]): Promise<number> {
  const { parseConsoleProducerOptions } = await import('./console-producer/options.js');
  const options = await parseConsoleProducerOptions(argv);
  if (options === 'help') return 0;
  const [{ producerSettings }, { lineReaderConfig }] = await Promise.all([
    import('./common/producer-properties.js'),
    import('./console-producer/line-reader.js'),
  ]);
  lineReaderConfig(options.readerProperties); // refuse a bad reader configuration up front
  const settings = producerSettings(options.producerProperties, 'console-producer');
  for (const warning of settings.warnings) process.stderr.write(`WARN ${warning}\n`);
  const [{ Kafka }, { runConsoleProducer }] = await Promise.all([
    import('../client/index.js'), import('./console-producer/console-producer.js'),
  ]);
  const producer = new Kafka(settings.kafka).producer(settings.producer);
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.once('SIGINT', abort).once('SIGTERM', abort);
  try {
    await producer.connect();
    return await runConsoleProducer(
      { topic: options.topic, sync: options.sync, readerProperties: options.readerProperties,
        send: settings.send },
      producer,
      { input: process.stdin, prompt: process.stdin.isTTY === true,
        write: (text) => void process.stdout.write(text),
        error: (line) => void process.stderr.write(`${line}\n`), signal: stop.signal },
    );
  } finally {
    await producer.disconnect();
    process.off('SIGINT', abort).off('SIGTERM', abort);
  }
}

runToolMain(main, {
  isExpected: async (error) => {
    const { LineReaderError } = await import('./console-producer/line-reader.js');
    return error instanceof LineReaderError;
  },
});
