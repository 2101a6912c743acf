/**
 * The console consumer's loop (Kafka's ConsoleConsumer.process): read the topic (one partition
 * with --partition, else all of them), format each record (message-formatter.ts) and write it,
 * until --max-messages records were written, no record came for --timeout-ms, the caller
 * aborts (SIGINT/SIGTERM), or the consumer fails. It returns the count for Kafka's closing
 * `Processed a total of N messages`.
 *
 * Each fetched batch is formatted into one buffer and written at once; the handler waits for
 * the output to drain, so a slow reader of stdout slows fetching instead of growing memory.
 */
import type { Consumer, EachBatchPayload } from '../../client/index.js';
import { formatRecord } from './message-formatter.js';
import type { FormatterConfig } from './message-formatter.js';
import type { StartOffset } from './options.js';

export interface ConsoleConsumerRun {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly start: StartOffset;
  readonly maxMessages: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly formatter: FormatterConfig;
}

export interface ConsoleConsumerIo {
  /** Writes formatted records; resolves when the output can take more. */
  readonly write: (chunk: Buffer) => Promise<void> | void;
  /** Aborting ends the run normally (Kafka's shutdown hook). */
  readonly signal?: AbortSignal;
}

export interface ConsoleConsumerResult {
  readonly count: number;
  /** Why the run ended early, when the consumer failed. */
  readonly error: Error | undefined;
}

/** Reads with a connected consumer until one of the end conditions; does not disconnect. */
export async function runConsoleConsumer(run: ConsoleConsumerRun, consumer: Consumer,
  io: ConsoleConsumerIo): Promise<ConsoleConsumerResult> {
  let count = 0;
  let finished = false;
  let finish!: (error?: Error) => void;
  const done = new Promise<Error | undefined>((resolve) => {
    finish = (error) => {
      if (finished) return;
      finished = true;
      resolve(error);
    };
  });
  const quiet = new QuietTimer(run.timeoutMs, () => finish());
  const abort = () => finish();
  if (io.signal?.aborted === true) return { count, error: undefined };
  io.signal?.addEventListener('abort', abort, { once: true });
  const removeCrash = consumer.on(consumer.events.CRASH, (event) => {
    const { error } = event.payload as { error: Error };
    finish(error);
  });
  try {
    if (run.maxMessages !== undefined && run.maxMessages <= 0) finish();
    else await start(run, consumer);
    quiet.touch();
    if (!finished) {
      await consumer.run({ eachBatch: async ({ batch }: EachBatchPayload) => {
        if (finished) return;
        const out: Buffer[] = [];
        for (const message of batch.messages) {
          if (run.maxMessages !== undefined && count >= run.maxMessages) break;
          formatRecord(run.formatter, batch.partition, message, out);
          count += 1;
        }
        if (batch.messages.length > 0) quiet.touch();
        if (out.length > 0) await io.write(Buffer.concat(out));
        if (run.maxMessages !== undefined && count >= run.maxMessages) finish();
      } });
    }
    const error = await done;
    return { count, error };
  } catch (error) {
    const { RaftkaError } = await import('../../client/index.js');
    if (!(error instanceof RaftkaError)) throw error;
    return { count, error };
  } finally {
    quiet.stop();
    removeCrash();
    io.signal?.removeEventListener('abort', abort);
  }
}

/** Assigns the partition (and seeks to the start offset), or subscribes to the whole topic. */
async function start(run: ConsoleConsumerRun, consumer: Consumer): Promise<void> {
  if (run.partition === undefined) {
    await consumer.subscribe({ topic: run.topic, fromBeginning: run.start === 'earliest' });
    return;
  }
  consumer.assign([{ topic: run.topic, partitions: [run.partition] }]);
  consumer.seek({ topic: run.topic, partition: run.partition,
    offset: typeof run.start === 'number' ? String(run.start) : run.start });
}

/** Fires once no touch() came for `timeoutMs` (Kafka's --timeout-ms); inert without one. */
class QuietTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number | undefined,
    private readonly fire: () => void) {}

  touch(): void {
    if (this.timeoutMs === undefined) return;
    if (this.timer !== undefined) this.timer.refresh();
    else this.timer = setTimeout(this.fire, this.timeoutMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
