/**
 * Recovery at open (Kafka's LogLoader): finds the segments of a partition directory, loads or
 * rebuilds their indexes, and cuts the log at its first bad batch, so that what remains is
 * whole batches with contiguous offsets.
 *
 * What is trusted rests on PartitionLog's rules: a segment stops being active only after its
 * data and index files were fsynced (roll), so after any crash only the last segment can be torn.
 *  - Older segments: their index files are loaded and checked (whole entries, increasing, none
 *    past the end of the log); a failed check rebuilds them by scanning the segment, CRC-checking
 *    every batch. A segment whose offsets do not end where the next begins is cut there and
 *    every later segment deleted.
 *  - The last segment after a clean shutdown (the `clean-shutdown` marker): its indexes are
 *    loaded and only the batches after the last offset index entry are CRC-checked.
 *  - The last segment otherwise: every batch is CRC-checked and its indexes rebuilt. The file is
 *    cut at the first batch that is partial, corrupt or not contiguous.
 */
import { fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastOffsetOf } from '../../protocol/records/batch-header.js';
import { walkBatches, type ScannedBatch } from './batch-scan.js';
import type { FileSync } from './file-io.js';
import { parseSegmentFileName, TEMP_SUFFIX } from './file-names.js';
import { LogSegment } from './log-segment.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

export interface LoadOptions {
  readonly dir: string;
  readonly indexIntervalBytes: number;
  readonly cleanShutdown: boolean;
  readonly nowMs: number;
  readonly sync: FileSync;
  readonly log: (line: string) => void;
  /** Sees every batch that recovery scanned (to feed the leader epoch cache). */
  readonly onBatch: (batch: ScannedBatch) => void;
}

export interface RecoveryReport {
  readonly bytesTruncated: number;
  readonly segmentsDeleted: number;
  readonly indexesRebuilt: number;
}

export interface LoadedLog {
  /** In offset order; may be empty (the caller creates the first segment). */
  readonly segments: LogSegment[];
  readonly report: RecoveryReport;
}

export function loadSegments(options: LoadOptions): LoadedLog {
  const bases = listSegmentBases(options.dir);
  const segments: LogSegment[] = [];
  let bytesTruncated = 0;
  let indexesRebuilt = 0;
  let segmentsDeleted = 0;
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i]!;
    const fd = openSync(join(options.dir, `${String(base).padStart(20, '0')}.log`), 'r+');
    const { dir, indexIntervalBytes, nowMs } = options;
    const segment = new LogSegment(dir, base, fd, indexIntervalBytes, nowMs);
    const stat = fstatSync(fd);
    const fileBytes = stat.size;
    segment.bytes = fileBytes;
    segment.lastModifiedMs = stat.mtimeMs;
    segments.push(segment);
    const next = bases[i + 1];
    const outcome = next === undefined
      ? loadLastSegment(segment, options)
      : loadOlderSegment(segment, next, options);
    if (outcome.rebuilt) indexesRebuilt++;
    const cut = outcome.cutAt === undefined ? 0 : fileBytes - outcome.cutAt;
    if (outcome.cutAt !== undefined && cut > 0) {
      ftruncateSync(segment.fd, outcome.cutAt);
      segment.bytes = outcome.cutAt;
      options.sync(segment.fd);
      bytesTruncated += cut;
      options.log(
        `${segment.logPath}: recovery truncated ${cut} bytes at position ${outcome.cutAt} ` +
          `(${outcome.problem})`,
      );
    }
    if (next !== undefined && segment.nextOffset !== next) {
      // The offsets break here: whatever follows cannot be part of the log.
      const later = bases.slice(i + 1);
      for (const laterBase of later) deleteSegmentFiles(options.dir, laterBase);
      segmentsDeleted = later.length;
      options.log(
        `${options.dir}: recovery deleted ${later.length} segments from offset ${next}: the log ` +
          `ends at ${segment.nextOffset} (${outcome.problem ?? 'offsets are not contiguous'})`,
      );
      break;
    }
  }
  return { segments, report: { bytesTruncated, segmentsDeleted, indexesRebuilt } };
}

interface SegmentOutcome {
  readonly rebuilt: boolean;
  /** Position to cut the file at (its first bad batch), when not all of it is good. */
  readonly cutAt?: number;
  readonly problem?: string;
}

function loadOlderSegment(segment: LogSegment, nextBase: number, options: LoadOptions) {
  // Rolls never leave an empty segment behind, so one that is empty lost its data.
  const problem = segment.bytes === 0 ? 'empty segment' : loadIndexes(segment, nextBase);
  if (problem === undefined) {
    segment.nextOffset = nextBase;
    segment.indexesDirty = false;
    return { rebuilt: false };
  }
  options.log(`${segment.logPath}: rebuilding its indexes (${problem})`);
  return { ...scanFrom(segment, 0, true, options), rebuilt: true };
}

function loadLastSegment(segment: LogSegment, options: LoadOptions): SegmentOutcome {
  if (options.cleanShutdown) {
    const problem = loadIndexes(segment, Number.MAX_SAFE_INTEGER);
    if (problem === undefined) {
      const lastEntry = segment.offsetIndex.last();
      segment.nextOffset = segment.baseOffset + (lastEntry?.relativeOffset ?? 0);
      const scan = scanFrom(segment, lastEntry?.position ?? 0, false, options);
      const lastTime = segment.timeIndex.last();
      const lastTimeOffset = segment.baseOffset + (lastTime?.relativeOffset ?? -1);
      if (lastTimeOffset < segment.nextOffset) {
        if (segment.bytes > 0) readFirstBatchTimestamp(segment);
        return scan;
      }
      options.log(`${segment.logPath}: its time index points past the log; rebuilding`);
    } else {
      options.log(`${segment.logPath}: rebuilding its indexes (${problem})`);
    }
  }
  return { ...scanFrom(segment, 0, true, options), rebuilt: true };
}

/**
 * CRC-checks the batches from `position` to the end of the file, feeding the segment's indexes
 * (which then must be empty, or end at `position`). `fresh`: start over with empty indexes.
 */
function scanFrom(
  segment: LogSegment, position: number, fresh: boolean, options: LoadOptions,
): { rebuilt: boolean; cutAt?: number; problem?: string } {
  const fileBytes = fstatSync(segment.fd).size;
  if (fresh) {
    segment.offsetIndex = new OffsetIndex();
    segment.timeIndex = new TimeIndex();
    segment.maxTimestampMs = -1;
    segment.offsetOfMaxTimestamp = -1;
    segment.nextOffset = segment.baseOffset;
  }
  // The batch at `position` is already indexed (or is the first): it adds no entry.
  segment.bytesSinceIndexEntry = 0;
  segment.bytes = position;
  const end = walkBatches(segment.fd, position, fileBytes, true, (batch) => {
    if (batch.header.baseOffset !== segment.nextOffset) {
      return `offset ${batch.header.baseOffset} where ${segment.nextOffset} was expected`;
    }
    if (lastOffsetOf(batch.header) - segment.baseOffset > 0x7fffffff) {
      return 'relative offset over int32';
    }
    segment.recordBatch(batch);
    options.onBatch(batch);
    return true;
  });
  segment.indexesDirty = true;
  if (end.problem === undefined) segment.bytes = fileBytes;
  else segment.bytes = end.position;
  return end.problem === undefined
    ? { rebuilt: fresh }
    : { rebuilt: fresh, cutAt: end.position, problem: end.problem };
}

/** Loads both index files of `segment`; returns why they cannot be used, if so. */
function loadIndexes(segment: LogSegment, nextOffset: number): string | undefined {
  const offsetBytes = readIfPresent(segment.indexPath);
  const timeBytes = readIfPresent(segment.timeIndexPath);
  if (offsetBytes === undefined || timeBytes === undefined) return 'index file missing';
  if (segment.bytes === 0 && offsetBytes.length > 0) return 'index of an empty segment';
  const offsetIndex = OffsetIndex.fromBytes(offsetBytes, segment.bytes);
  if (typeof offsetIndex === 'string') return `offset index: ${offsetIndex}`;
  const lastEntry = offsetIndex.last();
  if (lastEntry !== undefined && segment.baseOffset + lastEntry.relativeOffset >= nextOffset) {
    return 'offset index: last entry beyond the log';
  }
  const timeIndex = TimeIndex.fromBytes(timeBytes, nextOffset - segment.baseOffset);
  if (typeof timeIndex === 'string') return `time index: ${timeIndex}`;
  if (segment.bytes > 0 && timeIndex.entries === 0 && offsetIndex.entries > 0) {
    return 'time index: empty beside a non-empty offset index';
  }
  segment.offsetIndex = offsetIndex;
  segment.timeIndex = timeIndex;
  const lastTime = timeIndex.last();
  segment.maxTimestampMs = lastTime?.timestampMs ?? -1;
  segment.offsetOfMaxTimestamp =
    lastTime === undefined ? -1 : segment.baseOffset + lastTime.relativeOffset;
  return undefined;
}

function readFirstBatchTimestamp(segment: LogSegment): void {
  const first = segment.findBatch(segment.baseOffset);
  segment.firstBatchTimestampMs = first?.header.maxTimestamp ?? -1;
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Base offsets of the `.log` files, sorted; removes temp files and indexes without a log. */
function listSegmentBases(dir: string): number[] {
  const names = readdirSync(dir);
  const logs = new Set<number>();
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed?.kind === 'log') logs.add(parsed.baseOffset);
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    const orphan = parsed !== undefined && parsed.kind !== 'log' && !logs.has(parsed.baseOffset);
    if (orphan || name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true });
  }
  return [...logs].sort((a, b) => a - b);
}

function deleteSegmentFiles(dir: string, base: number): void {
  const prefix = String(base).padStart(20, '0');
  for (const suffix of ['.log', '.index', '.timeindex']) {
    rmSync(join(dir, prefix + suffix), { force: true });
  }
}
