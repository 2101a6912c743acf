/**
 * The log of one partition replica on disk (Kafka's UnifiedLog over LocalLog): a directory of
 * segments, the leader epoch cache, appends as leader (assigning offsets) or follower (keeping
 * the leader's), reads for fetches, lookups by time, truncation, retention and flushing.
 *
 * Threading: every method is synchronous and must run on one thread (the event loop); nothing
 * here awaits between reading and changing state, so callers need no lock. open() and delete()
 * are async only for the directory work around them.
 *
 * Durability contract:
 *  - appends reach the page cache on return; with log.flush.interval.messages = 1 they are also
 *    fsynced before return (the caller may then acknowledge acks=all on this replica alone);
 *  - rolling a segment fsyncs the old segment and its index files and the directory, so after
 *    a crash only the last segment can be torn (see segment-loading.ts);
 *  - truncation and retention fsync what they change before returning;
 *  - the leader epoch checkpoint is replaced atomically whenever the cache changes.
 *
 * Invariant: segments[0].baseOffset <= logStartOffset <= logEndOffset, and segments hold
 * contiguous offsets from segments[0].baseOffset to logEndOffset in whole batches.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assert } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import {
  batchesIn,
  lastOffsetOf,
  stampBatch,
} from '../../protocol/records/batch-header.js';
import type { ScannedBatch } from './batch-scan.js';
import { resolvePartitionLogConfig, SEGMENT_BYTES_MAX, type PartitionLogConfig } from './config.js';
import {
  createDirectory,
  fsyncFile,
  syncDirectory,
  writeFileSynced,
  type FileSync,
} from './file-io.js';
import { CLEAN_SHUTDOWN_FILE_NAME } from './file-names.js';
import {
  LeaderEpochCache,
  readLeaderEpochCheckpoint,
  writeLeaderEpochCheckpoint,
  type EpochEndOffset,
} from './leader-epoch-cache.js';
import { LogSegment, RELATIVE_OFFSET_MAX } from './log-segment.js';
import { loadSegments, type RecoveryReport } from './segment-loading.js';

export interface PartitionLogOptions {
  /** The broker clock (Date.now by default); tests and the simulator inject theirs. */
  readonly nowMs?: () => number;
  /** Where recovery and retention report what they did. */
  readonly log?: (line: string) => void;
  /** Every fsync of a file or directory goes through this (fsyncSync by default). */
  readonly fsync?: FileSync;
}

export interface LeaderAppendInfo {
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** The broker clock at the append (a produce response sends it for LogAppendTime topics). */
  readonly appendTimeMs: number;
}

/** What a fetch gets: whole batches, the first one holding the fetch offset. */
export interface LogReadInfo {
  /** Whole batches, possibly none; one Buffer read from one segment. */
  readonly bytes: Uint8Array;
  /** baseOffset of the first batch (<= the fetch offset), or the fetch offset when empty. */
  readonly firstOffset: number;
}

/** A fetch offset outside [logStartOffset, logEndOffset] (Kafka: OFFSET_OUT_OF_RANGE). */
export interface OffsetOutOfRange {
  readonly error: 'OFFSET_OUT_OF_RANGE';
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

export function isOffsetOutOfRange(
  result: LogReadInfo | OffsetOutOfRange,
): result is OffsetOutOfRange {
  return 'error' in result;
}

export class PartitionLog {
  readonly dir: string;
  readonly config: PartitionLogConfig;
  /** What recovery found and repaired when the log was opened. */
  readonly recovery: RecoveryReport;
  readonly #nowMs: () => number;
  readonly #log: (line: string) => void;
  readonly #fsync: FileSync;
  readonly #epochs: LeaderEpochCache;
  /** In offset order; the last one is active. Invariant: never empty. */
  #segments: LogSegment[];
  #logStartOffset: number;
  /** Offsets appended since the last flush (Kafka: logEndOffset - recoveryPoint). */
  #unflushedMessages = 0;
  #lastFlushMs: number;
  /** False until a new log's directory and first segment are durable (see open()). */
  #structureSynced = true;
  #closed = false;

  /** Opens the log in `dir` (creating it if missing), recovering it to whole valid batches. */
  static async open(
    dir: string,
    config: Partial<PartitionLogConfig> = {},
    options: PartitionLogOptions = {},
  ): Promise<PartitionLog> {
    const resolved = resolvePartitionLogConfig(config);
    const fsync = options.fsync ?? fsyncFile;
    const nowMs = options.nowMs ?? Date.now;
    const log = options.log ?? (() => undefined);
    // A new partition's directory and first segment are not fsynced here: an empty log has
    // nothing to lose, and a broker given 100,000 partitions at once would spend minutes in
    // fsyncs. The first flush, roll or close makes them durable (#syncStructure), before any
    // data in them is.
    const isNew = !existsSync(dir);
    if (isNew) mkdirSync(dir, { recursive: true });
    else createDirectory(dir, fsync);
    const cleanShutdown = removeCleanShutdownMarker(dir, fsync);
    const loaded = readLeaderEpochCheckpoint(dir, log);
    const epochs = loaded ?? new LeaderEpochCache();
    const assignEpoch = (batch: ScannedBatch) => {
      const epoch = batch.header.partitionLeaderEpoch;
      if (epoch >= 0) epochs.assign(epoch, batch.header.baseOffset);
    };
    const recovered = loadSegments({
      dir, indexIntervalBytes: resolved.indexIntervalBytes, cleanShutdown, nowMs: nowMs(),
      sync: fsync, log, onBatch: assignEpoch,
    });
    let segments = recovered.segments;
    if (segments.length === 0) {
      segments = [LogSegment.create(dir, 0, resolved.indexIntervalBytes, nowMs())];
      if (!isNew) syncDirectory(dir, fsync);
    }
    // Without a checkpoint the cache comes from every batch header (Kafka rebuilds it too).
    if (loaded === undefined) for (const segment of segments) segment.forEachBatch(assignEpoch);
    const partitionLog = new PartitionLog(dir, resolved, recovered.report, segments, epochs, {
      nowMs, log, fsync,
    });
    epochs.truncateFromEnd(partitionLog.logEndOffset);
    epochs.truncateFromStart(partitionLog.logStartOffset);
    // A new log's cache is empty, as a missing checkpoint reads.
    if (isNew) partitionLog.#structureSynced = false;
    else partitionLog.#persistEpochs();
    return partitionLog;
  }

  private constructor(
    dir: string,
    config: PartitionLogConfig,
    recovery: RecoveryReport,
    segments: LogSegment[],
    epochs: LeaderEpochCache,
    options: Required<PartitionLogOptions>,
  ) {
    this.dir = dir;
    this.config = config;
    this.recovery = recovery;
    this.#segments = segments;
    this.#epochs = epochs;
    this.#nowMs = options.nowMs;
    this.#log = options.log;
    this.#fsync = options.fsync;
    this.#logStartOffset = segments[0]!.baseOffset;
    this.#lastFlushMs = options.nowMs();
  }

  /** The first offset a fetch may ask for (the base of the oldest segment kept). */
  get logStartOffset(): number {
    return this.#logStartOffset;
  }

  /** The offset the next appended record gets. */
  get logEndOffset(): number {
    return this.#active().nextOffset;
  }

  /** Bytes of all segments (what log.retention.bytes limits). */
  get sizeBytes(): number {
    return this.#segments.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  get segmentCount(): number {
    return this.#segments.length;
  }

  /** Base offsets of the segments, oldest first. */
  segmentBaseOffsets(): number[] {
    return this.#segments.map((segment) => segment.baseOffset);
  }

  /**
   * Appends batches a producer sent to this leader. `batches` is one or more concatenated record
   * batches, each already checked by the caller (checkBatch with message.max.bytes). Stamps
   * each with the next offsets and `leaderEpoch` in place, then writes the same bytes in one
   * write call.
   */
  appendAsLeader(batches: Uint8Array, leaderEpoch: number): LeaderAppendInfo {
    this.#checkOpen();
    check(Number.isInteger(leaderEpoch) && leaderEpoch >= 0, 'bad leader epoch ', leaderEpoch);
    const baseOffset = this.logEndOffset;
    let next = baseOffset;
    const stamped: ScannedBatch[] = [];
    for (const batch of parseBatches(batches)) {
      stampBatch(batches, batch.at, next, leaderEpoch);
      const header = { ...batch.header, baseOffset: next, partitionLeaderEpoch: leaderEpoch };
      stamped.push({ ...batch, header });
      next = lastOffsetOf(header) + 1;
    }
    if (this.#epochs.assign(leaderEpoch, baseOffset)) this.#persistEpochs();
    const appendTimeMs = this.#nowMs();
    this.#append(batches, stamped, appendTimeMs);
    return { baseOffset, lastOffset: next - 1, appendTimeMs };
  }

  /**
   * Appends batches fetched from the leader, keeping their offsets and epochs. They must start
   * at logEndOffset and be contiguous: the replica fetcher fetches from there and truncates
   * first on divergence (KIP-101), so anything else is a bug.
   */
  appendAsFollower(batches: Uint8Array): { lastOffset: number } {
    this.#checkOpen();
    const parsed = parseBatches(batches);
    let next = this.logEndOffset;
    for (const { header } of parsed) {
      check(header.baseOffset === next,
        'follower append at offset ', header.baseOffset, ', expected ', next, ' (log end)');
      next = lastOffsetOf(header) + 1;
    }
    for (const { header } of parsed) {
      const epoch = header.partitionLeaderEpoch;
      if (epoch >= 0 && this.#epochs.assign(epoch, header.baseOffset)) this.#persistEpochs();
    }
    this.#append(batches, parsed, this.#nowMs());
    return { lastOffset: next - 1 };
  }

  #append(bytes: Uint8Array, batches: readonly ScannedBatch[], nowMs: number): void {
    const first = batches[0]!.header;
    const lastOffset = lastOffsetOf(batches.at(-1)!.header);
    let maxTimestampMs = -1;
    for (const { header } of batches) {
      maxTimestampMs = Math.max(maxTimestampMs, header.maxTimestamp);
    }
    check(bytes.length <= SEGMENT_BYTES_MAX, 'append of ', bytes.length, ' bytes over a segment');
    if (this.#shouldRoll(bytes.length, maxTimestampMs, lastOffset, nowMs)) this.roll();
    this.#active().append(bytes, batches, nowMs);
    this.#unflushedMessages += lastOffset + 1 - first.baseOffset;
    this.flushIfNeeded(nowMs);
  }

  /**
   * Kafka's LogSegment.shouldRoll: a non-empty active segment rolls when the append would push
   * it over log.segment.bytes, when its data spans log.roll.ms (from its first batch's
   * timestamp to the new batches', or by the clock for untimestamped data), or when the new
   * offsets would not fit the int32 relative offsets of its indexes.
   */
  #shouldRoll(bytes: number, maxTimestampMs: number, lastOffset: number, nowMs: number): boolean {
    const active = this.#active();
    if (active.bytes === 0) return false;
    if (active.bytes + bytes > this.config.segmentBytes) return true;
    const waitedMs = active.firstBatchTimestampMs >= 0
      ? maxTimestampMs - active.firstBatchTimestampMs
      : nowMs - active.createdMs;
    if (waitedMs > this.config.segmentMs) return true;
    return lastOffset - active.baseOffset > RELATIVE_OFFSET_MAX;
  }

  /**
   * Starts a new active segment at logEndOffset. The old one is made durable first (data, then
   * index files with its last time entry), then the new file's directory entry.
   */
  roll(): void {
    this.#checkOpen();
    const previous = this.#active();
    if (previous.bytes === 0) return;
    this.#syncStructure();
    previous.flush(this.#fsync);
    previous.writeIndexes(this.#fsync);
    const segment = LogSegment.create(
      this.dir, this.logEndOffset, this.config.indexIntervalBytes, this.#nowMs(),
    );
    this.#segments.push(segment);
    syncDirectory(this.dir, this.#fsync);
  }

  /**
   * Whole batches from the one holding `fetchOffset`, up to `maxBytes`, from one segment (as
   * Kafka: a fetch never spans segments). Only batches entirely below `maxOffset` (exclusive,
   * e.g. the high watermark) are returned, so a consumer never sees an offset at or past it.
   * The first batch is returned even when larger than maxBytes (KIP-74), unless it crosses
   * maxOffset: then the result is empty.
   */
  read(fetchOffset: number, maxBytes: number, maxOffset: number): LogReadInfo | OffsetOutOfRange {
    this.#checkOpen();
    check(Number.isSafeInteger(maxBytes) && maxBytes >= 0, 'read: bad maxBytes ', maxBytes);
    if (fetchOffset < this.#logStartOffset || fetchOffset > this.logEndOffset) {
      return {
        error: 'OFFSET_OUT_OF_RANGE',
        logStartOffset: this.#logStartOffset,
        logEndOffset: this.logEndOffset,
      };
    }
    const empty = { bytes: new Uint8Array(0), firstOffset: fetchOffset };
    const limit = Math.min(maxOffset, this.logEndOffset);
    for (let i = this.#segmentIndexOf(fetchOffset); i < this.#segments.length; i++) {
      const segment = this.#segments[i]!;
      const first = segment.findBatch(fetchOffset);
      if (first === undefined) continue;
      if (lastOffsetOf(first.header) >= limit) return empty;
      const end = limit >= segment.nextOffset ? segment.bytes : segment.findBatch(limit)!.at;
      const length = Math.min(end - first.at, Math.max(maxBytes, first.size));
      const bytes = segment.read(first.at, length);
      const whole = bytes.subarray(0, wholeBatchBytes(bytes));
      return { bytes: whole, firstOffset: first.header.baseOffset };
    }
    return empty;
  }

  /**
   * ListOffsets by time: the first batch whose maxTimestamp is >= `timestampMs`, as its base
   * offset and maxTimestamp. Records are not decoded, so the offset is the batch's start
   * (Kafka returns the first record at or after the time, inside that batch).
   */
  offsetForTimestamp(timestampMs: number): { offset: number; timestampMs: number } | undefined {
    this.#checkOpen();
    for (const segment of this.#segments) {
      if (segment.maxTimestampMs < timestampMs) continue;
      const batch = segment.findBatchByTimestamp(timestampMs);
      if (batch === undefined) continue;
      const offset = Math.max(batch.header.baseOffset, this.#logStartOffset);
      return { offset, timestampMs: batch.header.maxTimestamp };
    }
    return undefined;
  }

  /** OffsetsForLeaderEpoch (KIP-101, KIP-279); UNDEFINED (-1, -1) when the epoch is unknown. */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.#epochs.endOffsetFor(epoch, this.logEndOffset);
  }

  /** The epoch of the last batch appended, or -1 for an empty cache. */
  latestEpoch(): number {
    return this.#epochs.latestEpoch();
  }

  /** The epoch cache, oldest first (for tests and diagnostics). */
  epochEntries(): readonly { epoch: number; startOffset: number }[] {
    return this.#epochs.entries();
  }

  /**
   * Drops everything at or after `offset` (a follower whose log diverged, KIP-101). Whole
   * batches only: when `offset` falls inside a batch, that batch goes too and logEndOffset ends
   * up at its base offset, below `offset`. Durable on return.
   */
  truncateTo(offset: number): void {
    this.#checkOpen();
    check(Number.isSafeInteger(offset) && offset >= 0, 'truncateTo: bad offset ', offset);
    if (offset >= this.logEndOffset) return;
    if (offset < this.#segments[0]!.baseOffset) {
      this.truncateFullyAndStartAt(offset);
      return;
    }
    let deleted = 0;
    while (this.#segments.length > 1 && this.#active().baseOffset > offset) {
      this.#segments.pop()!.deleteFiles();
      deleted++;
    }
    const active = this.#active();
    active.truncateTo(offset);
    active.flush(this.#fsync);
    if (deleted > 0) syncDirectory(this.dir, this.#fsync);
    if (this.#epochs.truncateFromEnd(this.logEndOffset)) this.#persistEpochs();
    this.#logStartOffset = Math.min(this.#logStartOffset, this.logEndOffset);
    this.#unflushedMessages = 0;
  }

  /** Deletes every segment and starts empty at `offset` (a replica too far behind the leader). */
  truncateFullyAndStartAt(offset: number): void {
    this.#checkOpen();
    check(Number.isSafeInteger(offset) && offset >= 0, 'bad start offset ', offset);
    for (const segment of this.#segments) segment.deleteFiles();
    this.#segments = [
      LogSegment.create(this.dir, offset, this.config.indexIntervalBytes, this.#nowMs()),
    ];
    syncDirectory(this.dir, this.#fsync);
    this.#logStartOffset = offset;
    this.#unflushedMessages = 0;
    if (this.#epochs.clear()) this.#persistEpochs();
  }

  /**
   * Deletes the oldest segments that retention allows (Kafka's deleteOldSegments): first those
   * whose largest timestamp is older than log.retention.ms, then, while the log is larger than
   * log.retention.bytes, those whose removal keeps it at or above the limit. Never the active
   * segment, nor one holding offsets at or past `highWatermark` (consumers may not have seen
   * them). Advances logStartOffset. Returns how many segments were deleted.
   */
  deleteRetainedSegments(nowMs: number, highWatermark = this.logEndOffset): number {
    this.#checkOpen();
    const { retentionMs, retentionBytes } = this.config;
    const deletable = (segment: LogSegment, at: number) =>
      at < this.#segments.length - 1 && segment.nextOffset <= highWatermark;
    let count = 0;
    while (retentionMs >= 0) {
      const segment = this.#segments[count];
      if (segment === undefined || !deletable(segment, count)) break;
      if (nowMs - segment.largestTimestampMs() <= retentionMs) break;
      count++;
    }
    if (retentionBytes >= 0) {
      let excess = this.sizeBytes - retentionBytes;
      for (let i = 0; i < count; i++) excess -= this.#segments[i]!.bytes;
      for (;;) {
        const segment = this.#segments[count];
        if (segment === undefined || !deletable(segment, count)) break;
        if (excess - segment.bytes < 0) break;
        excess -= segment.bytes;
        count++;
      }
    }
    if (count === 0) return 0;
    const removed = this.#segments.splice(0, count);
    // Oldest first: a crash part-way leaves a contiguous suffix of the log.
    for (const segment of removed) segment.deleteFiles();
    syncDirectory(this.dir, this.#fsync);
    this.#logStartOffset = Math.max(this.#logStartOffset, this.#segments[0]!.baseOffset);
    if (this.#epochs.truncateFromStart(this.#logStartOffset)) this.#persistEpochs();
    this.#log(
      `${this.dir}: retention deleted ${count} segments; the log now starts at ` +
        `${this.#logStartOffset}`,
    );
    return count;
  }

  /** fsyncs every segment written since the last flush. */
  flush(): void {
    this.#checkOpen();
    this.#syncStructure();
    for (const segment of this.#segments) segment.flush(this.#fsync);
    this.#unflushedMessages = 0;
    this.#lastFlushMs = this.#nowMs();
  }

  /**
   * Flushes when log.flush.interval.messages offsets were appended since the last flush, or the
   * last flush is log.flush.interval.ms old. Appends call it; the broker's scheduler should too
   * (Kafka's log flusher), for the time rule on idle partitions.
   */
  flushIfNeeded(nowMs = this.#nowMs()): boolean {
    this.#checkOpen();
    const { flushIntervalMessages, flushIntervalMs } = this.config;
    if (this.#unflushedMessages === 0) return false;
    const due =
      this.#unflushedMessages >= flushIntervalMessages ||
      nowMs - this.#lastFlushMs >= flushIntervalMs;
    if (!due) return false;
    this.flush();
    return true;
  }

  /** Flushes, writes the index files, closes every file and leaves the clean-shutdown marker. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    for (const segment of this.#segments) {
      segment.writeIndexes(this.#fsync);
      segment.close();
    }
    writeFileSynced(join(this.dir, CLEAN_SHUTDOWN_FILE_NAME), new Uint8Array(0), this.#fsync);
    syncDirectory(this.dir, this.#fsync);
    this.#closed = true;
  }

  /** Closes the files and removes the directory (the topic was deleted). */
  async delete(): Promise<void> {
    if (!this.#closed) for (const segment of this.#segments) segment.close();
    this.#closed = true;
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Records a new log's directory in the log dir and its first segment in the directory. */
  #syncStructure(): void {
    if (this.#structureSynced) return;
    syncDirectory(this.dir, this.#fsync);
    syncDirectory(dirname(this.dir), this.#fsync);
    this.#structureSynced = true;
  }

  #persistEpochs(): void {
    writeLeaderEpochCheckpoint(this.dir, this.#epochs, this.#fsync);
  }

  #active(): LogSegment {
    return this.#segments.at(-1)!;
  }

  /** Index of the last segment whose base offset is <= offset. */
  #segmentIndexOf(offset: number): number {
    let lo = 0;
    let hi = this.#segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#segments[mid]!.baseOffset <= offset) lo = mid + 1;
      else hi = mid;
    }
    check(lo > 0, 'no segment holds offset ', offset);
    return lo - 1;
  }

  #checkOpen(): void {
    check(!this.#closed, this.dir, ': partition log used after close');
  }
}

/** The batches of an append; the caller checked them, so they must fill the bytes exactly. */
function parseBatches(bytes: Uint8Array): ScannedBatch[] {
  const batches = [...batchesIn(bytes)];
  const last = batches.at(-1);
  assert(last !== undefined, 'append of no batch');
  assert(last.at + last.size === bytes.length, 'append bytes do not end with a whole batch');
  return batches;
}

/** Bytes of the whole batches at the start of `bytes` (a read may end inside a batch). */
function wholeBatchBytes(bytes: Uint8Array): number {
  let end = 0;
  for (const batch of batchesIn(bytes)) end = batch.at + batch.size;
  return end;
}

/** Whether the last close was clean; the marker goes (durably) before anything is written. */
function removeCleanShutdownMarker(dir: string, fsync: FileSync): boolean {
  const path = join(dir, CLEAN_SHUTDOWN_FILE_NAME);
  if (!existsSync(path)) return false;
  rmSync(path);
  syncDirectory(dir, fsync);
  return true;
}
