/**
 * Recovery of a log directory at open: reads every segment in offset order and keeps the longest
 * valid prefix of the log. At the first torn or corrupt frame, or the first segment that does not
 * start where the previous one ended, the file is cut there and every later segment is deleted.
 *
 * Why later data goes too: the log must stay one contiguous, chained sequence (Raft's Log
 * Matching property), so entries behind a hole cannot be used, and no valid frame can be told
 * apart from a stale one once the chain is broken. Dropping data that was fsynced is a disk
 * failure the protocol does not cover (the node may have acknowledged it); the report says so
 * and the node must then rejoin as a follower and refetch.
 *
 * Segment gaps: a gap or overlap between segments can only come from unlinks lost in a crash.
 * deleteBefore() unlinks oldest first with a directory fsync after each, so it never leaves one.
 * truncateFrom() leaves stale segments only after the live ones, and resetTo() writes the
 * snapshot first, so whatever it leaves is old log the runtime resets again (see index.ts).
 * Keeping the segments before the gap is therefore always safe.
 */
import { readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Offset } from '../core/types.js';
import { parseSegmentFileName } from './file-names.js';
import { scanSegment, type BatchIndexEntry, type ChainState } from './segment-scan.js';

export interface RecoveryReport {
  readonly segmentsKept: number;
  readonly batchesKept: number;
  /** Bytes cut from segment files plus the size of deleted segments. */
  readonly bytesTruncated: number;
  readonly segmentsDeleted: readonly string[];
  /** The first problem found (file name, position, reason); undefined for a clean log. */
  readonly problem?: string;
}

export interface RecoveredSegment {
  readonly baseOffset: Offset;
  readonly fileName: string;
  readonly bytes: number;
  readonly batches: BatchIndexEntry[];
  readonly endOffset: Offset;
}

export interface RecoveredLog {
  readonly segments: readonly RecoveredSegment[];
  readonly chain: ChainState;
  readonly report: RecoveryReport;
}

export async function recoverLog(dir: string, frameBytesMax: number): Promise<RecoveredLog> {
  const names = (await readdir(dir))
    .map((fileName) => ({ fileName, baseOffset: parseSegmentFileName(fileName) }))
    .filter((s): s is { fileName: string; baseOffset: Offset } => s.baseOffset !== undefined)
    .sort((a, b) => a.baseOffset - b.baseOffset);
  const segments: RecoveredSegment[] = [];
  const segmentsDeleted: string[] = [];
  let chain: ChainState = { crc: undefined, lastEpoch: undefined };
  let bytesTruncated = 0;
  let problem: string | undefined;
  for (const { fileName, baseOffset } of names) {
    const path = join(dir, fileName);
    const previous = segments.at(-1);
    if (problem === undefined && previous !== undefined && baseOffset !== previous.endOffset) {
      problem =
        `${fileName} starts at ${baseOffset}, the log before it ends at ${previous.endOffset}`;
    }
    if (problem !== undefined) {
      bytesTruncated += (await stat(path)).size;
      await rm(path);
      segmentsDeleted.push(fileName);
      continue;
    }
    const bytes = await readFile(path);
    const scan = scanSegment(bytes, baseOffset, chain, frameBytesMax);
    chain = scan.chain;
    segments.push({
      baseOffset,
      fileName,
      bytes: scan.validBytes,
      batches: scan.batches,
      endOffset: scan.endOffset,
    });
    if (scan.problem !== undefined) {
      problem = `${fileName}: ${scan.problem}`;
      bytesTruncated += bytes.length - scan.validBytes;
      await truncate(path, scan.validBytes);
    }
  }
  const batchesKept = segments.reduce((n, s) => n + s.batches.length, 0);
  const report = { segmentsKept: segments.length, batchesKept, bytesTruncated, segmentsDeleted };
  return { segments, chain, report: problem === undefined ? report : { ...report, problem } };
}
