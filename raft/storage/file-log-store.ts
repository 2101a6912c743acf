/**
 * The Raft log in segment files `<20-digit base offset>.log` (see batch-codec.ts for the frames).
 *
 * Writes and durability are split so that the runtime can batch: append(), truncateFrom() and
 * resetTo() only touch the page cache (synchronous, cheap), and sync() makes all of them durable
 * with asynchronous fdatasync calls and directory fsyncs, coalesced (sync-coalescer.ts).
 *
 * Crash safety rests on three rules:
 *  - every frame is chained to the one before (prevCrc), so recovery never stitches old frames
 *    behind new ones;
 *  - bytes of the log below a truncation point are never rewritten: a cut inside a batch is a
 *    truncation frame appended after it, so entries that were durable stay durable even if the
 *    crash hits between the cut and the next sync (rewriting the kept prefix would lose them);
 *  - deleteBefore() removes segments oldest first, each unlink made durable before the next, so
 *    a crash leaves a contiguous log; truncateFrom() and resetTo() may leave stale segments only
 *    after the live ones, which recovery drops (log-recovery.ts).
 *
 * An I/O error leaves the store failed: every later call throws it. Descriptors that an fsync in
 * flight may still use are closed only once that fsync is done (a closed number can be reused).
 */
import { ftruncateSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../../lib/assert.js';
import type { Epoch, LogEntry, Offset } from '../core/types.js';
import { checkAppend } from './append-checks.js';
import {
  decodeEntries,
  encodeEntriesFrame,
  encodeTruncationFrame,
  FrameType,
  readFrame,
} from './batch-codec.js';
import {
  closeQuietlySync,
  ensureDirectory,
  readFullySync,
  syncDirectory,
  syncFileData,
  syncFileDataInline,
  writeFullySync,
} from './durable-fs.js';
import { segmentFileName } from './file-names.js';
import {
  BATCH_BYTES_CEILING,
  resolveLogStoreLimits,
  type LogStoreLimits,
  type LogStoreOptions,
} from './limits.js';
import { recoverLog, type RecoveredSegment, type RecoveryReport } from './log-recovery.js';
import type { BatchIndexEntry } from './segment-scan.js';
import { SyncCoalescer } from './sync-coalescer.js';
import type { LogStore } from './types.js';

interface Segment {
  readonly baseOffset: Offset;
  readonly path: string;
  /** File size; the next frame goes here. */
  bytes: number;
  /** Open for the active segment and for segments with writes not yet synced. */
  fd: number | undefined;
  /** Written or cut since the last sync captured it. */
  dirty: boolean;
  state: 'live' | 'pendingDelete' | 'deleted';
  readonly batches: BatchIndexEntry[];
}

export type FileLogStoreOptions = LogStoreOptions;

export class FileLogStore implements LogStore {
  readonly #dir: string;
  readonly #limits: LogStoreLimits;
  readonly #syncer: SyncCoalescer;
  readonly #inlineFsync: boolean;
  /** Live segments in offset order; the last one is active. Invariant: never empty. */
  #segments: Segment[] = [];
  /** Segments below the start offset, unlinked by the next sync, oldest first. */
  #pendingDeletes: Segment[] = [];
  readonly #dirtySegments = new Set<Segment>();
  /** Descriptors of deleted segments, closed when no fsync can be using them. */
  #retiredFds: number[] = [];
  #directoryDirty = false;
  /** Invariant: segments[0].baseOffset <= startOffset <= endOffset. */
  #startOffset: Offset = 0;
  #endOffset: Offset = 0;
  /** crc the next frame chains to (0 in an empty log). */
  #lastCrc = 0;
  /** Epoch of the entry at endOffset - 1, when known. */
  #lastEpoch: Epoch | undefined;
  #failure: { readonly error: unknown } | undefined;
  #closed = false;
  /** What recovery found and repaired when the store was opened. */
  readonly recovery: RecoveryReport;

  /** Opens (creating if needed) the log in `dir`, recovering it to its longest valid prefix. */
  static async open(dir: string, options: FileLogStoreOptions = {}): Promise<FileLogStore> {
    const limits = resolveLogStoreLimits(options);
    await ensureDirectory(dir);
    const recovered = await recoverLog(dir, BATCH_BYTES_CEILING);
    const store = new FileLogStore(dir, limits, recovered.report, options.fsync === 'inline');
    store.#adopt(recovered.segments, recovered.chain.crc ?? 0, recovered.chain.lastEpoch);
    const report = recovered.report;
    if (report.bytesTruncated > 0 || report.segmentsDeleted.length > 0 || store.#directoryDirty) {
      // Make the repair durable before anything is built on it. Only the last kept segment can
      // have been cut: recovery deletes every segment after a cut.
      store.#markDirty(store.#active());
      store.#directoryDirty = true;
      await store.sync();
    }
    return store;
  }

  private constructor(
    dir: string,
    limits: LogStoreLimits,
    recovery: RecoveryReport,
    inlineFsync: boolean,
  ) {
    this.#dir = dir;
    this.#inlineFsync = inlineFsync;
    this.#limits = limits;
    this.recovery = recovery;
    this.#syncer = new SyncCoalescer(() => this.#flush());
  }

  #adopt(
    recovered: readonly RecoveredSegment[],
    lastCrc: number,
    lastEpoch: Epoch | undefined,
  ): void {
    this.#segments = recovered.map((s) => ({
      baseOffset: s.baseOffset,
      path: join(this.#dir, s.fileName),
      bytes: s.bytes,
      fd: undefined,
      dirty: false,
      state: 'live' as const,
      batches: s.batches,
    }));
    const last = recovered.at(-1);
    if (last === undefined) {
      this.#segments = [this.#createSegment(0)];
      this.#directoryDirty = true;
    } else {
      this.#openFd(this.#active());
    }
    this.#startOffset = this.#segments[0]!.baseOffset;
    this.#endOffset = last?.endOffset ?? 0;
    this.#lastCrc = lastCrc;
    this.#lastEpoch = lastEpoch;
  }

  startOffset(): Offset {
    return this.#startOffset;
  }

  endOffset(): Offset {
    return this.#endOffset;
  }

  /** Reads every live entry back from the segment files (meant for start-up: it reads them all). */
  readAll(): LogEntry[] {
    this.#checkUsable();
    const entries: LogEntry[] = [];
    for (const segment of this.#segments) {
      const last = segment.batches.at(-1);
      if (last === undefined || last.baseOffset + last.count <= this.#startOffset) continue;
      const bytes = readFileSync(segment.path);
      for (const batch of segment.batches) {
        if (batch.baseOffset + batch.count <= this.#startOffset) continue;
        const read = readFrame(bytes, batch.position, BATCH_BYTES_CEILING);
        if (!read.ok || read.header.type !== FrameType.entries) {
          throw new Error(`${segment.path}: batch at ${batch.position} changed on disk since open`);
        }
        const decoded = decodeEntries(bytes, batch.position, read.header);
        for (const entry of decoded.slice(0, batch.count)) {
          if (entry.offset >= this.#startOffset) entries.push(entry);
        }
      }
    }
    return entries;
  }

  append(entries: readonly LogEntry[]): void {
    this.#checkUsable();
    if (entries.length === 0) return;
    const frameBytes = checkAppend(entries, this.#endOffset, this.#lastEpoch, this.#limits);
    let active = this.#active();
    if (active.bytes > 0 && active.bytes + frameBytes > this.#limits.segmentBytes) {
      active = this.#guard(() => this.#roll());
    }
    const frame = encodeEntriesFrame(this.#lastCrc, entries);
    const segment = active;
    this.#guard(() => writeFullySync(segment.fd!, frame.bytes, segment.bytes));
    const lastEpoch = entries.at(-1)!.epoch;
    segment.batches.push({
      baseOffset: this.#endOffset,
      count: entries.length,
      position: segment.bytes,
      frameBytes,
      groupEnd: segment.bytes + frameBytes,
      prevCrc: this.#lastCrc,
      lastCrc: frame.crc,
      lastEpoch,
    });
    segment.bytes += frameBytes;
    this.#endOffset += entries.length;
    this.#lastCrc = frame.crc;
    this.#lastEpoch = lastEpoch;
    this.#markDirty(segment);
  }

  truncateFrom(offset: Offset): void {
    this.#checkUsable();
    assert(
      Number.isSafeInteger(offset) && offset >= this.#startOffset,
      `truncateFrom(${offset}) below the log start ${this.#startOffset}`,
    );
    if (offset >= this.#endOffset) return;
    const index = this.#segmentIndexOf(offset);
    this.#guard(() => {
      for (const later of this.#segments.slice(index + 1)) this.#deleteNow(later);
      this.#segments.length = index + 1;
      const segment = this.#active();
      this.#openFd(segment);
      const batchIndex = lastIndexAtOrBelow(segment.batches, offset);
      const batch = segment.batches[batchIndex]!;
      if (offset === batch.baseOffset) this.#cutBeforeBatch(segment, batchIndex);
      else this.#cutInsideBatch(segment, batchIndex, offset);
      this.#markDirty(segment);
    });
    this.#endOffset = offset;
  }

  /** Whole batches from `batchIndex` on go; the log keeps bytes it had before. */
  #cutBeforeBatch(segment: Segment, batchIndex: number): void {
    const batch = segment.batches[batchIndex]!;
    ftruncateSync(segment.fd!, batch.position);
    segment.batches.length = batchIndex;
    segment.bytes = batch.position;
    this.#lastCrc = batch.prevCrc;
    this.#lastEpoch = this.#epochBefore(segment, batchIndex);
  }

  /** Appends a truncation frame after the batch, leaving its kept entries where they are. */
  #cutInsideBatch(segment: Segment, batchIndex: number, offset: Offset): void {
    const batch = segment.batches[batchIndex]!;
    const frameBytes = readFullySync(segment.fd!, batch.frameBytes, batch.position);
    const read = readFrame(frameBytes, 0, BATCH_BYTES_CEILING);
    assert(read.ok, `${segment.path}: batch at ${batch.position} unreadable before truncation`);
    const kept = offset - batch.baseOffset;
    const lastEpoch = decodeEntries(frameBytes, 0, read.header)[kept - 1]!.epoch;
    ftruncateSync(segment.fd!, batch.groupEnd);
    segment.batches.length = batchIndex + 1;
    const frame = encodeTruncationFrame(batch.lastCrc, offset);
    writeFullySync(segment.fd!, frame.bytes, batch.groupEnd);
    batch.count = kept;
    batch.groupEnd += frame.bytes.length;
    batch.lastCrc = frame.crc;
    batch.lastEpoch = lastEpoch;
    segment.bytes = batch.groupEnd;
    this.#lastCrc = frame.crc;
    this.#lastEpoch = lastEpoch;
  }

  deleteBefore(offset: Offset): void {
    this.#checkUsable();
    assert(
      Number.isSafeInteger(offset) && offset <= this.#endOffset,
      `deleteBefore(${offset}) beyond the log end ${this.#endOffset}`,
    );
    if (offset <= this.#startOffset) return;
    this.#startOffset = offset;
    // A segment is wholly below `offset` when the next one starts at or below it.
    while (this.#segments.length > 1 && this.#segments[1]!.baseOffset <= offset) {
      const segment = this.#segments.shift()!;
      segment.state = 'pendingDelete';
      // Its unsynced writes stay dirty: if the unlink is lost in a crash, a torn older segment
      // would make recovery drop every later one.
      this.#pendingDeletes.push(segment);
    }
  }

  resetTo(offset: Offset): void {
    this.#checkUsable();
    assert(Number.isSafeInteger(offset) && offset >= 0, `resetTo(${offset}): bad offset`);
    this.#guard(() => {
      for (const segment of [...this.#pendingDeletes, ...this.#segments]) this.#deleteNow(segment);
      this.#pendingDeletes = [];
      this.#segments = [this.#createSegment(offset)];
    });
    this.#startOffset = offset;
    this.#endOffset = offset;
    this.#lastCrc = 0;
    this.#lastEpoch = undefined;
  }

  async sync(): Promise<void> {
    this.#checkUsable();
    return this.#syncer.request();
  }

  /** Syncs what was written, then closes every file. The store cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#failure === undefined) await this.sync();
    } finally {
      await this.#syncer.idle();
      this.#closed = true;
      for (const segment of [...this.#pendingDeletes, ...this.#segments]) this.#retireFd(segment);
      for (const fd of this.#retiredFds.splice(0)) closeQuietlySync(fd);
    }
  }

  /** One flush: captures the work synchronously, then waits for the disk. */
  async #flush(): Promise<void> {
    const captured = [...this.#dirtySegments].map((segment) => ({ segment, fd: segment.fd! }));
    for (const { segment } of captured) segment.dirty = false;
    this.#dirtySegments.clear();
    const directoryDirty = this.#directoryDirty;
    this.#directoryDirty = false;
    const deletes = [...this.#pendingDeletes];
    try {
      if (this.#inlineFsync) for (const { fd } of captured) syncFileDataInline(fd);
      else await Promise.all(captured.map(({ fd }) => syncFileData(fd)));
      if (directoryDirty) await syncDirectory(this.#dir);
      for (const segment of deletes) {
        if (segment.state !== 'pendingDelete') continue; // resetTo() removed it meanwhile
        // Oldest first, each unlink durable before the next: a crash leaves a contiguous log.
        unlinkSync(segment.path);
        segment.state = 'deleted';
        this.#pendingDeletes = this.#pendingDeletes.filter((s) => s !== segment);
        this.#retireFd(segment);
        await syncDirectory(this.#dir);
      }
    } catch (error) {
      this.#failure ??= { error };
      throw error;
    } finally {
      this.#closeIdleFds(captured);
    }
  }

  #closeIdleFds(captured: readonly { segment: Segment; fd: number }[]): void {
    const active = this.#active();
    for (const { segment, fd } of captured) {
      if (segment.fd === fd && segment !== active && !segment.dirty) {
        closeQuietlySync(fd);
        segment.fd = undefined;
      }
    }
    for (const fd of this.#retiredFds.splice(0)) closeQuietlySync(fd);
  }

  #roll(): Segment {
    const previous = this.#active();
    const segment = this.#createSegment(this.#endOffset);
    this.#segments.push(segment);
    // A dirty previous segment keeps its descriptor until a sync has flushed its writes.
    if (!previous.dirty) this.#retireFd(previous);
    return segment;
  }

  #createSegment(baseOffset: Offset): Segment {
    const path = join(this.#dir, segmentFileName(baseOffset));
    const fd = openSync(path, 'wx+');
    this.#directoryDirty = true;
    return { baseOffset, path, bytes: 0, fd, dirty: false, state: 'live', batches: [] };
  }

  #deleteNow(segment: Segment): void {
    if (segment.state === 'deleted') return;
    unlinkSync(segment.path);
    segment.state = 'deleted';
    segment.dirty = false;
    this.#dirtySegments.delete(segment);
    this.#retireFd(segment);
    this.#directoryDirty = true;
  }

  #retireFd(segment: Segment): void {
    if (segment.fd === undefined) return;
    if (this.#syncer.busy) this.#retiredFds.push(segment.fd);
    else closeQuietlySync(segment.fd);
    segment.fd = undefined;
  }

  #openFd(segment: Segment): void {
    segment.fd ??= openSync(segment.path, 'r+');
  }

  #markDirty(segment: Segment): void {
    segment.dirty = true;
    this.#dirtySegments.add(segment);
  }

  #active(): Segment {
    const active = this.#segments.at(-1);
    assert(active !== undefined, 'the log has no active segment');
    return active;
  }

  #segmentIndexOf(offset: Offset): number {
    const index = lastIndexAtOrBelow(this.#segments, offset);
    assert(index >= 0, `no segment holds offset ${offset}`);
    return index;
  }

  /** Epoch of the entry just before batch `batchIndex` of `segment`, when still indexed. */
  #epochBefore(segment: Segment, batchIndex: number): Epoch | undefined {
    if (batchIndex > 0) return segment.batches[batchIndex - 1]!.lastEpoch;
    const at = this.#segments.indexOf(segment);
    return at > 0 ? this.#segments[at - 1]!.batches.at(-1)?.lastEpoch : undefined;
  }

  #checkUsable(): void {
    assert(!this.#closed, 'log store used after close()');
    if (this.#failure !== undefined) {
      throw new Error('log store failed earlier; restart the node', { cause: this.#failure.error });
    }
  }

  /** Runs an I/O step; an error leaves the store failed (its files may be half-changed). */
  #guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      this.#failure ??= { error };
      throw error;
    }
  }
}

/** Index of the last item whose baseOffset is <= offset (binary search), or -1. */
function lastIndexAtOrBelow(
  items: readonly { readonly baseOffset: Offset }[],
  offset: Offset,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.baseOffset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
