/**
 * The record accumulator: one open batch per partition, filled by concurrent send() calls and
 * closed when it reaches batchSizeBytes or when the linger window ends (KafkaJS has no linger;
 * this is Java's linger.ms/batch.size). With lingerMs 0 the window is one event-loop turn, so
 * the sends of one turn still share requests.
 *
 * Closing encodes the batch once (encodeRecordBatch) and hands it to the sender. Memory is
 * bounded by maxBufferedBytes (Java's buffer.memory): a send waits for room while earlier
 * batches are in the air, except when nothing is buffered (a single send larger than the
 * bound still goes through).
 */
import { encodeRecordBatch } from '../../protocol/records/index.js';
import type { ProducerRecord as BatchRecord } from '../../protocol/records/index.js';
import { PartitionBatch } from './batch.js';
import type { CompressionName, SendState } from './batch.js';
import type { Acks } from './types.js';

export interface AccumulatorOptions {
  readonly lingerMs: number;
  readonly batchSizeBytes: number;
  readonly maxBufferedBytes: number;
}

export interface BatchSettings {
  readonly acks: Acks;
  readonly timeoutMs: number;
  readonly compression: CompressionName;
}

export class RecordAccumulator {
  private readonly open = new Map<string, PartitionBatch>();
  private lingerTimer: NodeJS.Timeout | undefined;
  private lingerImmediate: NodeJS.Immediate | undefined;
  // Invariant: bufferedBytes is the sum of sizeBytes of the batches not yet settled.
  private bufferedBytes = 0;
  private readonly spaceWaiters: (() => void)[] = [];

  constructor(
    private readonly options: AccumulatorOptions,
    private readonly closed: (batch: PartitionBatch) => void,
  ) {}

  get buffered(): number {
    return this.bufferedBytes;
  }

  /** Resolves when `sizeBytes` more fit under maxBufferedBytes (or nothing is buffered). */
  async reserve(sizeBytes: number): Promise<void> {
    while (this.bufferedBytes > 0 &&
      this.bufferedBytes + sizeBytes > this.options.maxBufferedBytes) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
  }

  /** A settled batch gives its bytes back. */
  release(batch: PartitionBatch): void {
    this.bufferedBytes -= batch.sizeBytes;
    const waiters = this.spaceWaiters.splice(0);
    for (const wake of waiters) wake();
  }

  append(topic: string, partition: number, record: BatchRecord, sizeBytes: number,
    send: SendState, settings: BatchSettings): void {
    const key = `${topic}\u0000${partition}`;
    let batch = this.open.get(key);
    if (batch !== undefined && (!sameSettings(batch, settings) ||
      batch.sizeBytes + sizeBytes > this.options.batchSizeBytes)) {
      this.close(key, batch);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = new PartitionBatch(topic, partition, settings.acks, settings.timeoutMs,
        settings.compression);
      this.open.set(key, batch);
      this.startLinger();
    }
    batch.add(record, sizeBytes, send);
    this.bufferedBytes += sizeBytes;
    if (batch.sizeBytes >= this.options.batchSizeBytes) this.close(key, batch);
  }

  /** Closes every open batch now (the end of a linger window, flush, disconnect). */
  closeAll(): void {
    this.clearLinger();
    for (const [key, batch] of this.open) this.close(key, batch);
  }

  get openBatches(): number {
    return this.open.size;
  }

  private close(key: string, batch: PartitionBatch): void {
    this.open.delete(key);
    batch.bytes = encodeRecordBatch(batch.records, { compression: batch.compression });
    batch.records = [];
    if (this.open.size === 0) this.clearLinger();
    this.closed(batch);
  }

  private startLinger(): void {
    if (this.lingerTimer !== undefined || this.lingerImmediate !== undefined) return;
    const end = () => {
      this.lingerTimer = undefined;
      this.lingerImmediate = undefined;
      this.closeAll();
    };
    if (this.options.lingerMs === 0) this.lingerImmediate = setImmediate(end);
    else this.lingerTimer = setTimeout(end, this.options.lingerMs);
  }

  private clearLinger(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    if (this.lingerImmediate !== undefined) clearImmediate(this.lingerImmediate);
    this.lingerTimer = undefined;
    this.lingerImmediate = undefined;
  }
}

function sameSettings(batch: PartitionBatch, settings: BatchSettings): boolean {
  return batch.acks === settings.acks && batch.compression === settings.compression &&
    batch.timeoutMs === settings.timeoutMs;
}
