/**
 * The console producer's loop (Kafka's ConsoleProducer.start): each line of the input becomes
 * one record (line-reader.ts) sent to the topic. Without --sync, sends are not awaited one by
 * one, so the producer batches them (linger.ms, batch.size); at most SEND_WINDOW wait for their
 * acknowledgement at a time. A failed send is logged as Kafka's ErrorLoggingCallback logs it
 * and the tool goes on; with --sync each send is awaited and a failure ends the tool (exit 1).
 * A bad line ends it too (exit 1), unless ignore.error. Either way, what was sent before is
 * flushed before the result is returned.
 *
 * Order: the first record is awaited alone, so the topic's metadata is loaded once; later sends
 * then go straight to the accumulator in line order.
 */
import { createInterface } from 'node:readline';
import { RaftkaError } from '../../client/index.js';
import type { IHeaders, Message, Producer, RecordMetadata } from '../../client/index.js';
import { LineReaderError, lineReaderConfig, parseLine } from './line-reader.js';
import type { LineRecord } from './line-reader.js';
import type { SendSettings } from '../common/producer-properties.js';
import { SendWindow } from './send-window.js';

/** Sends awaiting acknowledgement; more lines wait (and so stop reading input). */
const SEND_WINDOW = 10_000;

export interface ConsoleProducerIo {
  readonly input: NodeJS.ReadableStream;
  /** Print `>` before each line: only when the input is a terminal (Kafka prints it always). */
  readonly prompt: boolean;
  readonly write: (text: string) => void;
  readonly error: (line: string) => void;
  /** Aborting stops reading input; what was read is still sent. */
  readonly signal?: AbortSignal;
}

export interface ConsoleProducerRun {
  readonly topic: string;
  readonly sync: boolean;
  readonly readerProperties: ReadonlyMap<string, string>;
  readonly send: SendSettings;
}

/** Reads the input to its end; resolves with the exit code (0, or 1 after a fatal error). */
export async function runConsoleProducer(run: ConsoleProducerRun, producer: Producer,
  io: ConsoleProducerIo): Promise<number> {
  const config = lineReaderConfig(run.readerProperties);
  const window = new SendWindow(SEND_WINDOW);
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  const stop = () => lines.close();
  io.signal?.addEventListener('abort', stop, { once: true });
  let lineNumber = 0;
  let warmed = false;
  let code = 0;
  try {
    if (io.prompt) io.write('>');
    for await (const line of lines) {
      lineNumber += 1;
      let record: LineRecord;
      try {
        record = parseLine(config, line, lineNumber);
      } catch (error) {
        if (!(error instanceof LineReaderError)) throw error;
        io.error(error.message);
        code = 1;
        break;
      }
      const sending = send(producer, run, record);
      if (run.sync || !warmed) {
        const failed = await settle(sending, run.topic, record, io);
        warmed = true;
        if (failed && run.sync) {
          code = 1;
          break;
        }
      } else {
        const wait = window.acquire();
        if (wait !== undefined) await wait;
        void settle(sending, run.topic, record, io).finally(() => window.release());
      }
      if (io.prompt) io.write('>');
    }
  } finally {
    io.signal?.removeEventListener('abort', stop);
    lines.close();
  }
  await window.idle();
  return code;
}

function send(producer: Producer, run: ConsoleProducerRun, record: LineRecord):
  Promise<RecordMetadata[]> {
  const message: Message = record.headers.length === 0
    ? { key: record.key, value: record.value }
    : { key: record.key, value: record.value, headers: headersOf(record) };
  return producer.send({ topic: run.topic, messages: [message], acks: run.send.acks,
    timeout: run.send.timeout, compression: run.send.compression });
}

function headersOf(record: LineRecord): IHeaders {
  const headers: Record<string, (string | null)[]> = {};
  for (const { key, value } of record.headers) (headers[key] ??= []).push(value);
  // A null header value (null.marker) stays null: the producer encodes null items as null
  // values (client/producer/batch.ts), though IHeaders does not spell it out.
  return headers as IHeaders;
}

/** Awaits a send; logs a failure as Kafka's ErrorLoggingCallback does. True if it failed. */
async function settle(sending: Promise<RecordMetadata[]>, topic: string, record: LineRecord,
  io: ConsoleProducerIo): Promise<boolean> {
  try {
    await sending;
    return false;
  } catch (error) {
    if (!(error instanceof RaftkaError)) throw error;
    const size = (text: string | null) => text === null ? 'null'
      : `${Buffer.byteLength(text)} bytes`;
    io.error(`ERROR Error when sending message to topic ${topic} with key: ${size(record.key)}, ` +
      `value: ${size(record.value)} with error: ${error.message}`);
    return true;
  }
}
