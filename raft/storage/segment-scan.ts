/**
 * Scans the bytes of one segment file at recovery: walks the frames, checks each (length bounds,
 * CRC, chain link to the previous frame) and builds the batch index. It stops at the first frame
 * that fails a check; everything from there on is not part of the log. Pure: no I/O.
 */
import { assert } from '../../lib/assert.js';
import type { Epoch, Offset } from '../core/types.js';
import { decodeEntries, FrameType, readFrame } from './batch-codec.js';

/** Where one batch lives, so that truncation and reads need no scan. */
export interface BatchIndexEntry {
  readonly baseOffset: Offset;
  /** Live entries: a truncation frame after the batch may have cut it short. */
  count: number;
  /** File position of the batch's entries frame. */
  readonly position: number;
  /** Bytes of the entries frame alone. */
  readonly frameBytes: number;
  /** Position after the batch frame and the truncation frames that follow it. */
  groupEnd: number;
  /** The chain link stored in the batch frame (the crc of the frame before it). */
  readonly prevCrc: number;
  /** crc of the last frame of the group: what the next frame must chain to. */
  lastCrc: number;
  /** Epoch of the last live entry. */
  lastEpoch: Epoch;
}

/** What recovery carries from one segment to the next. */
export interface ChainState {
  /** crc the next frame must name as prevCrc; undefined before the first frame of the log. */
  readonly crc: number | undefined;
  readonly lastEpoch: Epoch | undefined;
}

export interface SegmentScan {
  readonly batches: BatchIndexEntry[];
  /** Bytes from the start of the file that form valid frames. */
  readonly validBytes: number;
  readonly endOffset: Offset;
  readonly chain: ChainState;
  /** Why the scan stopped before the end of the file. */
  readonly problem?: string;
}

export function scanSegment(
  bytes: Buffer,
  baseOffset: Offset,
  chainIn: ChainState,
  frameBytesMax: number,
): SegmentScan {
  const batches: BatchIndexEntry[] = [];
  let chain = chainIn;
  let position = 0;
  let endOffset = baseOffset;
  let lastBatchEpochs: Epoch[] = [];
  let problem: string | undefined;
  while (position < bytes.length) {
    const read = readFrame(bytes, position, frameBytesMax);
    if (!read.ok) {
      problem = `${read.problem} frame at position ${position}: ${read.detail}`;
      break;
    }
    const header = read.header;
    if (chain.crc !== undefined && header.prevCrc !== chain.crc) {
      // A valid frame that does not follow the previous one: left over from before a
      // truncation whose ftruncate or unlink never reached the disk.
      problem = `frame at position ${position} does not continue the chain`;
      break;
    }
    // From here the frame is what this store wrote in this place, so a broken rule is a bug.
    if (header.type === FrameType.entries) {
      assert(
        header.baseOffset === endOffset,
        `batch at position ${position} starts at ${header.baseOffset}, expected ${endOffset}`,
      );
      const entries = decodeEntries(bytes, position, header);
      lastBatchEpochs = entries.map((entry) => entry.epoch);
      let previousEpoch = chain.lastEpoch;
      for (const epoch of lastBatchEpochs) {
        // Invariant: epochs never decrease along the log (Raft §5.3).
        assert(
          previousEpoch === undefined || epoch >= previousEpoch,
          `epoch decreases in the batch at ${position}`,
        );
        previousEpoch = epoch;
      }
      batches.push({
        baseOffset: header.baseOffset,
        count: header.count,
        position,
        frameBytes: header.frameBytes,
        groupEnd: position + header.frameBytes,
        prevCrc: header.prevCrc,
        lastCrc: header.crc,
        lastEpoch: previousEpoch!,
      });
      endOffset += header.count;
      chain = { crc: header.crc, lastEpoch: previousEpoch };
    } else {
      const batch = batches.at(-1);
      assert(
        batch !== undefined &&
          header.baseOffset > batch.baseOffset &&
          header.baseOffset < endOffset,
        `truncation frame at position ${position} to ${header.baseOffset} cuts no batch`,
      );
      batch.count = header.baseOffset - batch.baseOffset;
      batch.groupEnd = position + header.frameBytes;
      batch.lastCrc = header.crc;
      batch.lastEpoch = lastBatchEpochs[batch.count - 1]!;
      endOffset = header.baseOffset;
      chain = { crc: header.crc, lastEpoch: batch.lastEpoch };
    }
    position += header.frameBytes;
  }
  const scan = { batches, validBytes: position, endOffset, chain };
  return problem === undefined ? scan : { ...scan, problem };
}
