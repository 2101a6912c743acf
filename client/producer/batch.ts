/**
 * What the producer holds between send() and the broker's answer: each send() call is a
 * SendState, and its records sit in PartitionBatches, one per partition, shared with other
 * sends. A batch is encoded once when it closes (encodeRecordBatch); retries resend the same
 * bytes. A send settles when every batch holding one of its records has settled.
 */
import type { ProducerRecord as BatchRecord, RecordHeader } from '../../protocol/records/index.js';
import { assert } from '../../lib/assert.js';
import { RaftkaError } from '../errors.js';
import type { Acks, IHeaders, Message, RecordMetadata } from './types.js';

/** Per-record bytes beyond key, value and headers in the worst case (varints, attributes). */
const RECORD_OVERHEAD_BYTES = 21;
/** Per-header bytes beyond its key and value (two length varints). */
const HEADER_OVERHEAD_BYTES = 10;

export type CompressionName = 'none' | 'gzip';

/** One send() (or sendBatch()) call, waiting for its batches. */
export class SendState {
  /** Batches holding at least one of this send's records and not yet settled. */
  pendingBatches = 0;
  private settled = false;
  private readonly results = new Map<string, RecordMetadata>();
  readonly promise: Promise<RecordMetadata[]>;
  private resolvePromise!: (value: RecordMetadata[]) => void;
  private rejectPromise!: (error: RaftkaError) => void;
  /** Set once every record has been placed in a batch (more may be added until then). */
  private sealed = false;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }

  /** All records are in batches: the send may settle once they do. */
  seal(): void {
    this.sealed = true;
    this.maybeResolve();
  }

  batchSucceeded(metadata: RecordMetadata): void {
    this.pendingBatches -= 1;
    assert(this.pendingBatches >= 0, 'a send settles each of its batches once');
    const key = `${metadata.topicName}\u0000${metadata.partition}`;
    const earlier = this.results.get(key);
    // Several batches of one partition: report the first record's offset.
    if (earlier === undefined || Number(metadata.baseOffset) < Number(earlier.baseOffset)) {
      this.results.set(key, metadata);
    }
    this.maybeResolve();
  }

  batchFailed(error: RaftkaError): void {
    this.pendingBatches -= 1;
    this.fail(error);
  }

  fail(error: RaftkaError): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectPromise(error);
  }

  private maybeResolve(): void {
    if (this.settled || !this.sealed || this.pendingBatches > 0) return;
    this.settled = true;
    this.resolvePromise([...this.results.values()]);
  }
}

/** A run of consecutive records of one send inside a batch. */
interface Segment {
  readonly send: SendState;
  readonly firstIndex: number;
  count: number;
}

let nextSequence = 0;

export class PartitionBatch {
  /** Orders batches for sending; retried batches keep their place. */
  readonly sequence = nextSequence++;
  records: BatchRecord[] = [];
  recordCount = 0;
  sizeBytes = 0;
  readonly segments: Segment[] = [];
  /** The encoded batch, set when it closes; records is emptied then. */
  bytes: Uint8Array | undefined;
  attempts = 0;
  /** Not sent again before this time (retry backoff), ms since the epoch. */
  notBeforeMs = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly acks: Acks,
    readonly timeoutMs: number,
    readonly compression: CompressionName,
  ) {}

  add(record: BatchRecord, sizeBytes: number, send: SendState): void {
    assert(this.bytes === undefined, 'records are added to open batches only');
    const last = this.segments[this.segments.length - 1];
    if (last?.send === send) {
      last.count += 1;
    } else {
      this.segments.push({ send, firstIndex: this.recordCount, count: 1 });
      send.pendingBatches += 1;
    }
    this.records.push(record);
    this.recordCount += 1;
    this.sizeBytes += sizeBytes;
  }

  succeeded(baseOffset: number, logAppendTimeMs: number, logStartOffset: number): void {
    for (const segment of this.segments) {
      segment.send.batchSucceeded({
        topicName: this.topic,
        partition: this.partition,
        errorCode: 0,
        baseOffset: String(baseOffset < 0 ? -1 : baseOffset + segment.firstIndex),
        logAppendTime: String(logAppendTimeMs),
        logStartOffset: String(logStartOffset),
      });
    }
  }

  failed(error: RaftkaError): void {
    for (const segment of this.segments) segment.send.batchFailed(error);
  }
}

function bytesOf(value: Buffer | Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function headersOf(headers: IHeaders | undefined): RecordHeader[] | undefined {
  if (headers === undefined) return undefined;
  const out: RecordHeader[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      out.push({ key, value: item === null ? null : bytesOf(item) });
    }
  }
  return out;
}

function isBytes(value: unknown): value is Uint8Array | string {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** A KafkaJS message as record-batch input, with its size estimate. Throws on a bad message. */
export function toBatchRecord(
  topic: string, message: Message, nowMs: number,
): { record: BatchRecord; sizeBytes: number } {
  if (typeof message !== 'object' || message === null) {
    throw new RaftkaError(`Invalid message for topic ${topic}: not an object`);
  }
  if (message.value !== null && !isBytes(message.value)) {
    throw new RaftkaError(`Invalid message for topic ${topic}: value must be a string, ` +
      'a Buffer or null');
  }
  if (message.key !== undefined && message.key !== null && !isBytes(message.key)) {
    throw new RaftkaError(`Invalid message for topic ${topic}: key must be a string, ` +
      'a Buffer or null');
  }
  const timestampMs = message.timestamp === undefined ? nowMs : Number(message.timestamp);
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new RaftkaError(`Invalid message for topic ${topic}: timestamp ` +
      `'${String(message.timestamp)}' is not milliseconds since the epoch`);
  }
  const key = message.key === undefined || message.key === null ? null : bytesOf(message.key);
  const value = message.value === null ? null : bytesOf(message.value);
  const headers = headersOf(message.headers);
  let sizeBytes = RECORD_OVERHEAD_BYTES + (key?.length ?? 0) + (value?.length ?? 0);
  for (const header of headers ?? []) {
    sizeBytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(header.key) +
      (header.value?.length ?? 0);
  }
  const record: BatchRecord = headers === undefined ? { key, value, timestampMs }
    : { key, value, headers, timestampMs };
  return { record, sizeBytes };
}
