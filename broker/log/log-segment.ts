/**
 * One segment of a partition log (Kafka's LogSegment): the `.log` file of whole record batches
 * from `baseOffset`, with its sparse offset and time indexes held in memory. The descriptor
 * stays open for the segment's life; appends are positioned writes at the end, reads are
 * positioned reads, both synchronous (they hit the page cache).
 *
 * Finding a batch by offset or time binary-searches an index, then walks batch headers from the
 * entry found: at most about log.index.interval.bytes plus one batch, never the whole file.
 */
import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import { lastOffsetOf, type BatchHeader } from '../../protocol/records/batch-header.js';
import { walkBatches, type ScannedBatch, type WalkEnd } from './batch-scan.js';
import { readInto, writeFileSynced, writeFully, type FileSync } from './file-io.js';
import { INDEX_SUFFIX, LOG_SUFFIX, segmentFilePrefix, TIME_INDEX_SUFFIX } from './file-names.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

/** Relative offsets are int32 in both index files (as in Kafka). */
export const RELATIVE_OFFSET_MAX = 0x7fffffff;

export class LogSegment {
  readonly baseOffset: number;
  readonly logPath: string;
  readonly indexPath: string;
  readonly timeIndexPath: string;
  readonly #indexIntervalBytes: number;
  #fd: number | undefined;
  /** Invariant: the file holds exactly `bytes` bytes of whole, contiguous batches. */
  bytes = 0;
  /** The offset after the last batch. Invariant: baseOffset <= nextOffset. */
  nextOffset: number;
  offsetIndex = new OffsetIndex();
  timeIndex = new TimeIndex();
  /** Largest batch maxTimestamp, and the base offset of the batch that has it (-1: none). */
  maxTimestampMs = -1;
  offsetOfMaxTimestamp = -1;
  /** maxTimestamp of the first batch, which log.roll.ms counts from (as Kafka); -1: none. */
  firstBatchTimestampMs = -1;
  /** When this process created or opened the segment: the roll clock of untimestamped data. */
  readonly createdMs: number;
  /** Time of the last append, for retention when batches carry no timestamps. */
  lastModifiedMs: number;
  /** Batch bytes since the last offset index entry (Kafka's bytesSinceLastIndexEntry). */
  bytesSinceIndexEntry = 0;
  /** Appended or cut since the last fsync. */
  dirty = false;
  /** The in-memory indexes differ from the index files. */
  indexesDirty = true;

  constructor(
    dir: string, baseOffset: number, fd: number, indexIntervalBytes: number, nowMs: number,
  ) {
    const prefix = segmentFilePrefix(baseOffset);
    this.baseOffset = baseOffset;
    this.nextOffset = baseOffset;
    this.logPath = join(dir, prefix + LOG_SUFFIX);
    this.indexPath = join(dir, prefix + INDEX_SUFFIX);
    this.timeIndexPath = join(dir, prefix + TIME_INDEX_SUFFIX);
    this.#fd = fd;
    this.#indexIntervalBytes = indexIntervalBytes;
    this.createdMs = nowMs;
    this.lastModifiedMs = nowMs;
  }

  /** A new, empty segment file; the caller makes its directory entry durable. */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, nowMs: number) {
    const prefix = segmentFilePrefix(baseOffset);
    // Stale index files of an earlier segment with this base would be read back at recovery.
    rmSync(join(dir, prefix + INDEX_SUFFIX), { force: true });
    rmSync(join(dir, prefix + TIME_INDEX_SUFFIX), { force: true });
    const fd = openSync(join(dir, prefix + LOG_SUFFIX), 'wx+');
    return new LogSegment(dir, baseOffset, fd, indexIntervalBytes, nowMs);
  }

  get fd(): number {
    check(this.#fd !== undefined, this.logPath, ' used after close');
    return this.#fd;
  }

  /**
   * Indexes one batch that is (or is about to be) at `at`; appends and recovery both go through
   * here so that a rebuilt index equals the one written during appends. Offset index entries
   * name the batch's baseOffset and start position (Kafka names the last offset; either finds
   * the batch, this one also serves baseOffset lookups without a step back).
   */
  recordBatch(batch: ScannedBatch): void {
    const header = batch.header;
    check(header.baseOffset === this.nextOffset, 'batch at ', header.baseOffset, ' is not next');
    const lastOffset = lastOffsetOf(header);
    assert(lastOffset - this.baseOffset <= RELATIVE_OFFSET_MAX, 'relative offset over int32');
    if (header.maxTimestamp > this.maxTimestampMs) {
      this.maxTimestampMs = header.maxTimestamp;
      this.offsetOfMaxTimestamp = header.baseOffset;
    }
    if (this.bytes === 0) this.firstBatchTimestampMs = header.maxTimestamp;
    if (this.bytesSinceIndexEntry > this.#indexIntervalBytes) {
      this.offsetIndex.append(header.baseOffset - this.baseOffset, batch.at);
      if (this.maxTimestampMs >= 0) {
        const relativeOffset = this.offsetOfMaxTimestamp - this.baseOffset;
        this.timeIndex.maybeAppend(this.maxTimestampMs, relativeOffset);
      }
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += batch.size;
    this.bytes = batch.at + batch.size;
    this.nextOffset = lastOffset + 1;
    this.indexesDirty = true;
  }

  /** Appends whole batches in one write; `batches` give their positions within `bytes`. */
  append(bytes: Uint8Array, batches: readonly ScannedBatch[], nowMs: number): void {
    const position = this.bytes;
    writeFully(this.fd, bytes, position);
    for (const batch of batches) this.recordBatch({ ...batch, at: position + batch.at });
    assert(this.bytes === position + bytes.length, 'appended batches do not fill the bytes');
    this.lastModifiedMs = nowMs;
    this.dirty = true;
  }

  /** The first batch whose last offset is >= `offset`, or undefined when the segment ends first. */
  findBatch(offset: number): ScannedBatch | undefined {
    const from = this.offsetIndex.positionAtOrBefore(offset - this.baseOffset);
    return this.#find(from, (header) => lastOffsetOf(header) >= offset);
  }

  /** The first batch whose maxTimestamp is >= `timestampMs` (Kafka's ListOffsets by time). */
  findBatchByTimestamp(timestampMs: number): ScannedBatch | undefined {
    if (this.maxTimestampMs < timestampMs) return undefined;
    const relativeOffset = this.timeIndex.offsetBefore(timestampMs);
    const from =
      relativeOffset === undefined ? 0 : this.offsetIndex.positionAtOrBefore(relativeOffset);
    return this.#find(from, (header) => header.maxTimestamp >= timestampMs);
  }

  #find(from: number, match: (header: BatchHeader) => boolean): ScannedBatch | undefined {
    let found: ScannedBatch | undefined;
    const end = walkBatches(this.fd, from, this.bytes, false, (batch) => {
      if (!match(batch.header)) return true;
      found = batch;
      return false;
    });
    this.#failOnProblem(end);
    return found;
  }

  /** Calls `visit` with every batch header from `from` on (recovery and epoch rebuilds). */
  forEachBatch(visit: (batch: ScannedBatch) => void, from = 0): void {
    this.#failOnProblem(walkBatches(this.fd, from, this.bytes, false, (batch) => {
      visit(batch);
      return true;
    }));
  }

  /** `length` bytes from `position` in one positioned read into one new Buffer. */
  read(position: number, length: number): Buffer {
    assert(position >= 0 && position + length <= this.bytes, 'read outside the segment');
    const bytes = Buffer.allocUnsafe(length);
    const read = readInto(this.fd, bytes, position);
    if (read !== length) throw new Error(`${this.logPath}: file shorter than ${this.bytes} bytes`);
    return bytes;
  }

  /**
   * Drops the batch holding `offset` and everything after it: whole batches only, so the
   * segment then ends at that batch's base offset (which may be below `offset`).
   * Returns the bytes removed.
   */
  truncateTo(offset: number): number {
    const batch = offset <= this.baseOffset ? undefined : this.findBatch(offset);
    const cut = offset <= this.baseOffset ? 0 : batch?.at;
    if (cut === undefined || cut >= this.bytes) return 0;
    const removed = this.bytes - cut;
    ftruncateSync(this.fd, cut);
    this.bytes = cut;
    this.nextOffset = batch?.header.baseOffset ?? this.baseOffset;
    this.offsetIndex.truncateToPosition(cut);
    this.timeIndex.truncateToOffset(this.nextOffset - this.baseOffset);
    this.#reloadAfterCut();
    this.dirty = true;
    this.indexesDirty = true;
    return removed;
  }

  /** Recomputes what the cut batches fed (largest timestamp, bytes since the index entry). */
  #reloadAfterCut(): void {
    const lastTime = this.timeIndex.last();
    this.maxTimestampMs = lastTime?.timestampMs ?? -1;
    this.offsetOfMaxTimestamp =
      lastTime === undefined ? -1 : this.baseOffset + lastTime.relativeOffset;
    // As Kafka's loadLargestTimestamp: the batches after the last time entry decide the rest.
    const from =
      lastTime === undefined ? 0 : this.offsetIndex.positionAtOrBefore(lastTime.relativeOffset);
    this.forEachBatch(({ header }) => {
      if (header.maxTimestamp > this.maxTimestampMs) {
        this.maxTimestampMs = header.maxTimestamp;
        this.offsetOfMaxTimestamp = header.baseOffset;
      }
    }, from);
    this.bytesSinceIndexEntry = this.bytes - (this.offsetIndex.last()?.position ?? 0);
    if (this.bytes === 0) this.firstBatchTimestampMs = -1;
  }

  /** The timestamp retention by time compares with (Kafka: largestTimestamp, else mtime). */
  largestTimestampMs(): number {
    return this.maxTimestampMs >= 0 ? this.maxTimestampMs : this.lastModifiedMs;
  }

  /** Makes the appended bytes durable. */
  flush(sync: FileSync): void {
    if (!this.dirty) return;
    sync(this.fd);
    this.dirty = false;
  }

  /**
   * Writes both index files from memory, with a last time index entry for the largest
   * timestamp (Kafka does this when a segment stops being active).
   */
  writeIndexes(sync: FileSync): void {
    const relativeOffset = this.offsetOfMaxTimestamp - this.baseOffset;
    const sealed =
      this.maxTimestampMs >= 0 && this.timeIndex.maybeAppend(this.maxTimestampMs, relativeOffset);
    if (sealed) this.indexesDirty = true;
    if (!this.indexesDirty) return;
    writeFileSynced(this.indexPath, this.offsetIndex.toBytes(), sync);
    writeFileSynced(this.timeIndexPath, this.timeIndex.toBytes(), sync);
    this.indexesDirty = false;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Closes and removes the segment's three files (the caller syncs the directory). */
  deleteFiles(): void {
    this.close();
    for (const path of [this.logPath, this.indexPath, this.timeIndexPath]) {
      rmSync(path, { force: true });
    }
  }

  #failOnProblem(end: WalkEnd): void {
    // Bytes that recovery accepted no longer parse: the disk changed under us. A storage error,
    // not a bug in this process, so an Error (Kafka: KafkaStorageException), not an assert.
    if (end.problem !== undefined) {
      throw new Error(`${this.logPath}: at position ${end.position}: ${end.problem}`);
    }
  }
}
