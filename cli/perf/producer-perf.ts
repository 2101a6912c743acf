/**
 * The producer benchmark behind kafka-producer-perf-test (Kafka's ProducerPerformance): send
 * numRecords records to a topic as fast as allowed, measuring each record's latency from its
 * send() to its acknowledgement, and print Kafka's progress line every reportingIntervalMs
 * and its total line at the end. runProducerPerf is a library function so that bench/ can run
 * it in-process; it returns the numbers, and producerPerfJson makes the JSON summary line.
 *
 * Speed: sends are not awaited one by one but kept in flight, at most maxInFlightSends at a
 * time (SendWindow), so the producer fills whole batches; the random payload is made once and
 * reused (Kafka refills it per record); time is performance.now(). The first record is sent
 * alone so the topic's metadata is loaded once before the stream starts. Throttling
 * (throughput >= 0) holds each record until its slot in a steady rate: record i is due at
 * start + i / throughput, and a run that fell behind catches up at full speed, as Kafka's
 * ThroughputThrottler does.
 */
import { performance } from 'node:perf_hooks';
import { Kafka, RaftkaError } from '../../client/index.js';
import type { Acks, Producer } from '../../client/index.js';
import { createPrng } from '../../lib/prng.js';
import { producerSettings } from '../common/producer-properties.js';
import type { SendSettings } from '../common/producer-properties.js';
import { SendWindow } from '../console-producer/send-window.js';
import { fixed, jsonNumber, megabytes, wholeMs } from './format.js';

export type PayloadSource =
  /** recordSize bytes of random uppercase letters (Kafka's default payload). */
  | { readonly kind: 'random'; readonly recordSize: number }
  /** A payload picked at random for each record (--payload-file). */
  | { readonly kind: 'file'; readonly payloads: readonly Buffer[] }
  /** The record's number as text: 0, 1, 2, ... (--payload-monotonic). */
  | { readonly kind: 'monotonic' };

export interface ProducerPerfOptions {
  readonly topic: string;
  readonly numRecords: number;
  readonly payload: PayloadSource;
  /** Records per second; negative means no throttling (Kafka's -1). */
  readonly throughput: number;
  /** Kafka producer properties; bootstrap.servers is required. */
  readonly producerProperties: ReadonlyMap<string, string>;
  /** Default 5000, as Kafka's. */
  readonly reportingIntervalMs?: number;
  /** Sends awaiting acknowledgement at most (default from the record size). */
  readonly maxInFlightSends?: number;
  /** Each failed record (Kafka prints its stack trace and goes on). */
  readonly onError?: (error: Error) => void;
  /** Configuration warnings (unknown properties). */
  readonly onWarning?: (warning: string) => void;
}

export interface ProducerPerfStats {
  readonly acks: Acks;
  /** Records acknowledged. */
  readonly records: number;
  readonly failed: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgMs: number;
  readonly maxMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

/** Kafka keeps at most this many latency samples (every n-th record beyond it). */
const MAX_SAMPLES = 500_000;
/** Sends issued in one event-loop turn before letting acknowledgements and timers run. */
const SENDS_PER_TURN = 512;
/** Throttling sleeps only for at least this long (Kafka's ThroughputThrottler MIN_SLEEP_NS). */
const MIN_SLEEP_MS = 2;

/** Runs the benchmark; `print` gets Kafka's progress lines and total line (no newline). */
export async function runProducerPerf(options: ProducerPerfOptions,
  print: (line: string) => void): Promise<ProducerPerfStats> {
  const settings = producerSettings(options.producerProperties, 'perf-producer-client');
  for (const warning of settings.warnings) options.onWarning?.(warning);
  const producer = new Kafka(settings.kafka).producer(settings.producer);
  await producer.connect();
  try {
    const stats = new PerfStats(options.numRecords, options.reportingIntervalMs ?? 5_000, print);
    const payloads = payloadMaker(options.payload);
    const window = new SendWindow(options.maxInFlightSends ?? windowFor(options.payload));
    const sender = new RecordSender(producer, options.topic, settings.send, stats,
      options.onError);
    const startMs = performance.now();
    for (let i = 0; i < options.numRecords; i++) {
      const payload = payloads(i);
      if (i === 0) {
        // Every later send would ask for the metadata again: a first failure ends the run.
        const error = await sender.send(payload);
        if (error !== undefined) throw error;
      } else {
        const wait = window.acquire();
        if (wait !== undefined) await wait;
        void sender.send(payload).finally(() => window.release());
        if (i % SENDS_PER_TURN === 0) await new Promise(setImmediate);
      }
      if (options.throughput >= 0) await throttle(options.throughput, startMs, i + 1);
    }
    await window.idle();
    const total = stats.total(settings.send.acks, sender.failed);
    print(totalLine(total));
    return total;
  } finally {
    await producer.disconnect();
  }
}

/** The JSON summary line (`--json`). */
export function producerPerfJson(stats: ProducerPerfStats): string {
  return JSON.stringify({
    bench: 'produce', acks: stats.acks, records: stats.records,
    recordsPerSec: jsonNumber(stats.recordsPerSec), mbPerSec: jsonNumber(stats.mbPerSec),
    avgMs: jsonNumber(stats.avgMs), maxMs: jsonNumber(stats.maxMs),
    p50Ms: jsonNumber(stats.p50Ms), p95Ms: jsonNumber(stats.p95Ms),
    p99Ms: jsonNumber(stats.p99Ms), p999Ms: jsonNumber(stats.p999Ms),
  });
}

/**
 * Kafka's progress line: `%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg
 * latency, %.1f ms max latency.`
 */
export function progressLine(window: { records: number; bytes: number; elapsedMs: number;
  totalLatencyMs: number; maxLatencyMs: number }): string {
  return `${window.records} records sent, ` +
    `${fixed(1_000 * window.records / window.elapsedMs, 1)} records/sec ` +
    `(${fixed(1_000 * megabytes(window.bytes) / window.elapsedMs, 2)} MB/sec), ` +
    `${fixed(window.totalLatencyMs / window.records, 1)} ms avg latency, ` +
    `${fixed(window.maxLatencyMs, 1)} ms max latency.`;
}

/**
 * Kafka's total line: `%d records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency,
 * %.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.` Records/sec is `%f`
 * (six decimals) in Kafka's source, unlike the progress line's `%.1f`.
 */
export function totalLine(stats: ProducerPerfStats): string {
  return `${stats.records} records sent, ${fixed(stats.recordsPerSec, 6)} records/sec ` +
    `(${fixed(stats.mbPerSec, 2)} MB/sec), ${fixed(stats.avgMs, 2)} ms avg latency, ` +
    `${fixed(stats.maxMs, 2)} ms max latency, ${wholeMs(stats.p50Ms)} ms 50th, ` +
    `${wholeMs(stats.p95Ms)} ms 95th, ${wholeMs(stats.p99Ms)} ms 99th, ` +
    `${wholeMs(stats.p999Ms)} ms 99.9th.`;
}

function windowFor(payload: PayloadSource): number {
  const size = payload.kind === 'random' ? payload.recordSize : 64;
  // About 64 MiB of payload in the air, but never so few sends that batches stay small.
  return Math.max(256, Math.min(20_000, Math.floor(64 * 1024 * 1024 / (size + 64))));
}

function payloadMaker(source: PayloadSource): (index: number) => Buffer {
  if (source.kind === 'monotonic') return (index) => Buffer.from(String(index));
  const random = createPrng(0);
  if (source.kind === 'file') {
    return () => source.payloads[random.nextInt(0, source.payloads.length)]!;
  }
  const payload = Buffer.allocUnsafe(source.recordSize);
  for (let i = 0; i < payload.length; i++) payload[i] = 65 + random.nextInt(0, 26);
  return () => payload;
}

async function throttle(throughput: number, startMs: number, sent: number): Promise<void> {
  if (throughput === 0) return new Promise(() => undefined); // Kafka waits forever too
  const aheadMs = startMs + sent * 1_000 / throughput - performance.now();
  if (aheadMs >= MIN_SLEEP_MS) await new Promise((resolve) => setTimeout(resolve, aheadMs));
}

/** Sends one record and records its latency, or counts its failure. */
class RecordSender {
  failed = 0;

  constructor(private readonly producer: Producer, private readonly topic: string,
    private readonly settings: SendSettings, private readonly stats: PerfStats,
    private readonly onError?: (error: Error) => void) {}

  /** Resolves with the error when the record failed. */
  async send(payload: Buffer): Promise<RaftkaError | undefined> {
    const startMs = performance.now();
    try {
      await this.producer.send({ topic: this.topic, messages: [{ value: payload }],
        acks: this.settings.acks, timeout: this.settings.timeout,
        compression: this.settings.compression });
    } catch (error) {
      if (!(error instanceof RaftkaError)) throw error;
      this.failed += 1;
      this.onError?.(error);
      return error;
    }
    const now = performance.now();
    this.stats.record(now - startMs, payload.length, now);
    return undefined;
  }
}

/** Kafka's ProducerPerformance.Stats: totals, a sampled latency list, and a report window. */
class PerfStats {
  private readonly startMs = performance.now();
  private readonly sampling: number;
  private readonly latencies: Float64Array;
  private samples = 0;
  private count = 0;
  private bytes = 0;
  private totalLatencyMs = 0;
  private maxLatencyMs = 0;
  private windowStartMs = this.startMs;
  private windowCount = 0;
  private windowBytes = 0;
  private windowTotalLatencyMs = 0;
  private windowMaxLatencyMs = 0;

  constructor(numRecords: number, private readonly reportingIntervalMs: number,
    private readonly print: (line: string) => void) {
    this.sampling = Math.max(1, Math.floor(numRecords / Math.max(1, Math.min(numRecords,
      MAX_SAMPLES))));
    this.latencies = new Float64Array(Math.floor(numRecords / this.sampling) + 1);
  }

  record(latencyMs: number, bytes: number, nowMs: number): void {
    if (this.count % this.sampling === 0 && this.samples < this.latencies.length) {
      this.latencies[this.samples++] = latencyMs;
    }
    this.count += 1;
    this.bytes += bytes;
    this.totalLatencyMs += latencyMs;
    this.maxLatencyMs = Math.max(this.maxLatencyMs, latencyMs);
    this.windowCount += 1;
    this.windowBytes += bytes;
    this.windowTotalLatencyMs += latencyMs;
    this.windowMaxLatencyMs = Math.max(this.windowMaxLatencyMs, latencyMs);
    if (nowMs - this.windowStartMs >= this.reportingIntervalMs) {
      this.printWindow(nowMs);
      this.windowStartMs = nowMs;
      this.windowCount = 0;
      this.windowBytes = 0;
      this.windowTotalLatencyMs = 0;
      this.windowMaxLatencyMs = 0;
    }
  }

  private printWindow(nowMs: number): void {
    this.print(progressLine({ records: this.windowCount, bytes: this.windowBytes,
      elapsedMs: nowMs - this.windowStartMs, totalLatencyMs: this.windowTotalLatencyMs,
      maxLatencyMs: this.windowMaxLatencyMs }));
  }

  total(acks: Acks, failed: number): ProducerPerfStats {
    const elapsedMs = performance.now() - this.startMs;
    const sorted = this.latencies.subarray(0, this.samples).sort();
    const at = (q: number) => sorted[Math.floor(q * sorted.length)] ?? 0;
    return {
      acks, records: this.count, failed, bytes: this.bytes, elapsedMs,
      recordsPerSec: 1_000 * this.count / elapsedMs,
      mbPerSec: 1_000 * megabytes(this.bytes) / elapsedMs,
      avgMs: this.totalLatencyMs / this.count, maxMs: this.maxLatencyMs,
      p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), p999Ms: at(0.999),
    };
  }
}
