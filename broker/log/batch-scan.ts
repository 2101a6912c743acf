/**
 * Walks the record batches of a segment file between two positions, reading windows of the file
 * with positioned reads instead of the whole file. Two modes:
 *  - headers only (lookups by offset or time, which start at a sparse index entry and so read
 *    about log.index.interval.bytes): each batch's 61-byte header is parsed, its body skipped;
 *  - verify (recovery): each batch is read whole and passed through checkBatch (length, magic,
 *    CRC-32C), so a torn or corrupt tail is found.
 * A walk stops at the first batch that fails, reporting its position and why; the caller
 * decides whether that is a torn tail to cut (recovery) or a storage error (reads).
 *
 * Synchronous and not re-entrant: header walks share one scratch window.
 */
import {
  BATCH_HEADER_BYTES,
  batchBytesAt,
  checkBatch,
  LOG_OVERHEAD,
  readBatchHeader,
  type BatchHeader,
} from '../../protocol/records/batch-header.js';
import { readInto } from './file-io.js';

export interface ScannedBatch {
  /** Position of the batch in the file (or in the bytes it was found in). */
  readonly at: number;
  /** LOG_OVERHEAD + batchLength. */
  readonly size: number;
  readonly header: BatchHeader;
}

/** true: go on; false: stop before this batch; a string: stop, the batch is bad for this reason. */
export type BatchVisit = (batch: ScannedBatch) => boolean | string;

export interface WalkEnd {
  /** Where the walk stopped: `to`, or the start of the batch it stopped at. */
  readonly position: number;
  /** Why the batch at `position` is not part of the log, when that is why the walk stopped. */
  readonly problem?: string;
}

/** Bytes read per window: enough for the batches between two index entries, in one read. */
const WINDOW_BYTES = 16 * 1024;
const scratch = Buffer.allocUnsafe(WINDOW_BYTES);

export function walkBatches(
  fd: number, from: number, to: number, verify: boolean, visit: BatchVisit,
): WalkEnd {
  let window: Buffer = scratch;
  let windowStart = 0;
  let windowBytes = 0;
  /** Makes [position, position + length) readable in `window`; false if the file is short. */
  const ensure = (position: number, length: number): boolean => {
    if (position >= windowStart && position + length <= windowStart + windowBytes) return true;
    const want = Math.min(Math.max(WINDOW_BYTES, length), to - position);
    if (want > window.length) window = Buffer.allocUnsafe(want);
    windowStart = position;
    windowBytes = readInto(fd, window.subarray(0, want), position);
    return windowBytes >= length;
  };
  let position = from;
  while (position < to) {
    const stop = (problem: string): WalkEnd => ({ position, problem });
    if (to - position < LOG_OVERHEAD) return stop(`${to - position} bytes, less than a batch`);
    if (!ensure(position, Math.min(BATCH_HEADER_BYTES, to - position))) {
      return stop('the file ended before its recorded size');
    }
    const size = batchBytesAt(window.subarray(0, windowBytes), position - windowStart);
    if (size < BATCH_HEADER_BYTES) return stop(`corrupt batch length ${size - LOG_OVERHEAD}`);
    if (position + size > to) return stop(`partial batch: ${size} bytes, ${to - position} left`);
    let header: BatchHeader;
    if (verify) {
      if (!ensure(position, size)) return stop('the file ended before its recorded size');
      const check = checkBatch(window.subarray(0, windowBytes), position - windowStart);
      if (!check.ok) return stop(`${check.reason} batch: ${check.message}`);
      header = check.header;
    } else {
      header = readBatchHeader(window, position - windowStart);
    }
    const verdict = visit({ at: position, size, header });
    if (verdict === false) return { position };
    if (verdict !== true) return stop(verdict);
    position += size;
  }
  return { position };
}
