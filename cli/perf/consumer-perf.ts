/**
 * The consumer benchmark behind kafka-consumer-perf-test (Kafka's ConsumerPerformance): read
 * `messages` records of a topic (all partitions, from the earliest offset unless fromLatest),
 * counting key and value bytes, and print Kafka's header and result row. It stops once
 * enough records arrived, or with Kafka's WARNING once no record came for timeoutMs.
 * runConsumerPerf is a library function so bench/ can run it in-process; consumerPerfJson
 * makes the JSON summary line.
 *
 * Timing as Kafka's: start and end are wall-clock ms around the whole run; "rebalance" time is
 * the time to subscribe (metadata for the topic: there is no group to join yet), and fetch
 * time is the rest. With showDetailedStats a row is printed whenever a record arrives at
 * least reportingIntervalMs after the previous row, and no summary row at the end.
 */
import { Kafka } from '../../client/index.js';
import type { EachBatchPayload } from '../../client/index.js';
import { consumerSettings } from '../console-consumer/consumer-properties.js';
import { DEFAULT_DATE_FORMAT, fixed, formatDate, jsonNumber, megabytes } from './format.js';

export interface ConsumerPerfOptions {
  readonly bootstrapServer: string;
  readonly topic: string;
  /** Records to read. */
  readonly messages: number;
  /** Bytes per partition per fetch (--fetch-size, default 1 MiB). */
  readonly fetchSizeBytes?: number;
  readonly fromLatest?: boolean;
  /** Longest wait between records before giving up (--timeout, default 10000). */
  readonly timeoutMs?: number;
  readonly reportingIntervalMs?: number;
  readonly showDetailedStats?: boolean;
  readonly hideHeader?: boolean;
  /** SimpleDateFormat pattern of the time columns (default yyyy-MM-dd HH:mm:ss:SSS). */
  readonly dateFormat?: string;
  /** Kafka consumer properties (--consumer.config). */
  readonly consumerProperties?: ReadonlyMap<string, string>;
  readonly onWarning?: (warning: string) => void;
}

export interface ConsumerPerfStats {
  readonly records: number;
  readonly bytes: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly joinTimeMs: number;
  readonly fetchTimeMs: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  /** True when the run ended on the timeout before reading `messages` records. */
  readonly timedOut: boolean;
}

/** Kafka polls with a 100 ms timeout; the timeout is checked as often. */
const POLL_MS = 100;

/** Kafka's header line (printHeader). */
export function headerLine(showDetailedStats: boolean): string {
  const first = showDetailedStats ? 'time, threadId' : 'start.time, end.time';
  return `${first}, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ` +
    'rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
}

/** Kafka's summary row: `%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f`. */
export function summaryLine(stats: ConsumerPerfStats, dateFormat = DEFAULT_DATE_FORMAT): string {
  const elapsedSec = (stats.endMs - stats.startMs) / 1_000;
  const mb = megabytes(stats.bytes);
  const fetchSec = stats.fetchTimeMs / 1_000;
  return `${formatDate(dateFormat, stats.startMs)}, ${formatDate(dateFormat, stats.endMs)}, ` +
    `${fixed(mb, 4)}, ${fixed(mb / elapsedSec, 4)}, ${stats.records}, ` +
    `${fixed(stats.records / elapsedSec, 4)}, ${stats.joinTimeMs}, ${stats.fetchTimeMs}, ` +
    `${fixed(mb / fetchSec, 4)}, ${fixed(stats.records / fetchSec, 4)}`;
}

/** Kafka's detailed row (printConsumerProgress) for the interval [startMs, endMs]. */
export function progressRow(row: { bytes: number; lastBytes: number; records: number;
  lastRecords: number; startMs: number; endMs: number; joinTimeMs: number },
dateFormat = DEFAULT_DATE_FORMAT): string {
  const elapsedMs = row.endMs - row.startMs;
  const intervalMb = megabytes(row.bytes - row.lastBytes);
  const intervalRecords = row.records - row.lastRecords;
  const fetchMs = elapsedMs - row.joinTimeMs;
  return `${formatDate(dateFormat, row.endMs)}, 0, ${fixed(megabytes(row.bytes), 4)}, ` +
    `${fixed(1_000 * intervalMb / elapsedMs, 4)}, ${row.records}, ` +
    `${fixed(intervalRecords / elapsedMs * 1_000, 4)}, ${row.joinTimeMs}, ${fetchMs}, ` +
    `${fixed(fetchMs <= 0 ? 0 : 1_000 * intervalMb / fetchMs, 4)}, ` +
    `${fixed(fetchMs <= 0 ? 0 : 1_000 * intervalRecords / fetchMs, 4)}`;
}

export function consumerPerfJson(stats: ConsumerPerfStats): string {
  return JSON.stringify({ bench: 'consume', records: stats.records,
    recordsPerSec: jsonNumber(stats.recordsPerSec), mbPerSec: jsonNumber(stats.mbPerSec) });
}

/** Runs the benchmark; `print` gets Kafka's lines (no newline). */
export async function runConsumerPerf(options: ConsumerPerfOptions,
  print: (line: string) => void): Promise<ConsumerPerfStats> {
  const dateFormat = options.dateFormat ?? DEFAULT_DATE_FORMAT;
  const detailed = options.showDetailedStats ?? false;
  if (options.hideHeader !== true) print(headerLine(detailed));
  const properties = options.consumerProperties ?? new Map<string, string>();
  const settings = consumerSettings(properties, {
    bootstrap: options.bootstrapServer, clientId: 'perf-consumer-client',
    overrides: {
      maxBytesPerPartition: options.fetchSizeBytes ?? 1024 * 1024,
      ...properties.has('auto.offset.reset') ? {}
        : { autoOffsetReset: options.fromLatest === true ? 'latest' : 'earliest' },
    },
  });
  for (const warning of settings.warnings) options.onWarning?.(warning);
  const consumer = new Kafka(settings.kafka).consumer(settings.consumer);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.reportingIntervalMs ?? 5_000;
  let records = 0;
  let bytes = 0;
  try {
    await consumer.connect();
    const startMs = Date.now();
    await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromLatest !== true });
    const joinTimeMs = Date.now() - startMs;
    let lastConsumedMs = Date.now();
    let lastReport = { ms: lastConsumedMs, records: 0, bytes: 0 };
    let joinInRound = joinTimeMs;
    let poll: NodeJS.Timeout | undefined;
    let finished = false;
    let finish!: (timedOut: boolean) => void;
    const ended = new Promise<boolean>((resolve, reject) => {
      finish = (timedOut) => {
        finished = true;
        resolve(timedOut);
      };
      poll = setInterval(() => {
        if (records >= options.messages) finish(false);
        else if (Date.now() - lastConsumedMs > timeoutMs) finish(true);
      }, POLL_MS);
      consumer.on(consumer.events.CRASH, (event) => {
        reject((event.payload as { error: Error }).error);
      });
    });
    ended.catch(() => undefined); // awaited below; this only keeps an early crash handled
    let timedOut: boolean;
    try {
      await consumer.run({ eachBatch: async ({ batch }: EachBatchPayload) => {
        if (finished) return;
        const nowMs = Date.now();
        if (batch.messages.length > 0) lastConsumedMs = nowMs;
        for (const message of batch.messages) {
          records += 1;
          bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
          if (nowMs - lastReport.ms >= intervalMs) {
            if (detailed) {
              print(progressRow({ bytes, lastBytes: lastReport.bytes, records,
                lastRecords: lastReport.records, startMs: lastReport.ms, endMs: nowMs,
                joinTimeMs: joinInRound }, dateFormat));
            }
            joinInRound = 0;
            lastReport = { ms: nowMs, records, bytes };
          }
        }
        // Kafka counts the whole poll, then checks: the last batch may take it past `messages`.
        if (records >= options.messages) finish(false);
      } });
      timedOut = await ended;
    } finally {
      clearInterval(poll);
    }
    const endMs = Date.now();
    if (timedOut) {
      print(`WARNING: Exiting before consuming the expected number of messages: timeout ` +
        `(${timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`);
    }
    const elapsedSec = (endMs - startMs) / 1_000;
    const stats: ConsumerPerfStats = {
      records, bytes, startMs, endMs, joinTimeMs, fetchTimeMs: endMs - startMs - joinTimeMs,
      recordsPerSec: records / elapsedSec, mbPerSec: megabytes(bytes) / elapsedSec, timedOut,
    };
    if (!detailed) print(summaryLine(stats, dateFormat));
    return stats;
  } finally {
    await consumer.disconnect();
  }
}
