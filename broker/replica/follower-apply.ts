/**
 * What a follower does with one partition of a fetch response from its leader (Kafka's
 * ReplicaFetcherThread.processPartitionData, truncateOnFetchResponse, handleOutOfRangeError):
 *
 *  - records: checked (CRC; they come from a peer), then appended as they are with the
 *    leader's offsets and epochs (appendAsFollower); the follower's high watermark becomes
 *    min(leader HW, own log end);
 *  - divergingEpoch {epoch, endOffset}: truncate to where the two logs agree, as KIP-279 does
 *    with an OffsetsForLeaderEpoch answer: if this log knows that epoch, to the smaller of the
 *    two end offsets; if it does not, to the end of its largest epoch below it, and the next
 *    fetch asks again with that epoch (research D5);
 *  - OFFSET_OUT_OF_RANGE: a log ending before the leader's log start starts over there
 *    (truncateFullyAndStartAt); otherwise the follower is ahead of the leader's end and
 *    truncates to the leader's high watermark, below which both logs hold the same committed
 *    records.
 */
import { ErrorCode, type FetchPartitionResponse } from '../../protocol/index.js';
import { checkBatch, lastOffsetOf } from '../../protocol/records/index.js';
import type { PartitionLog } from '../log/index.js';
import { clampHighWatermark, setFollowerHighWatermark, type Partition } from './partition.js';

export type FetchedOutcome =
  | { readonly kind: 'appended'; readonly lastOffset: number }
  | { readonly kind: 'nothing' }
  | { readonly kind: 'truncated'; readonly logEndOffset: number }
  /** An error answer or bad bytes: wait a little before fetching this partition again. */
  | { readonly kind: 'retry'; readonly reason: string };

export function applyFetchedPartition(
  p: Partition, log: PartitionLog, data: FetchPartitionResponse,
): FetchedOutcome {
  if (data.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) return handleOutOfRange(p, log, data);
  if (data.errorCode !== ErrorCode.NONE) {
    return { kind: 'retry', reason: `error code ${data.errorCode}` };
  }
  if (data.divergingEpoch !== undefined) {
    truncateToDivergence(p, log, data.divergingEpoch.epoch, data.divergingEpoch.endOffset);
    return { kind: 'truncated', logEndOffset: log.logEndOffset };
  }
  const records = data.records;
  let outcome: FetchedOutcome = { kind: 'nothing' };
  if (records !== null && records.length > 0) {
    const appendable = appendableBatches(records, log.logEndOffset);
    if (typeof appendable === 'string') return { kind: 'retry', reason: appendable };
    if (appendable.length > 0) {
      outcome = { kind: 'appended', lastOffset: log.appendAsFollower(appendable).lastOffset };
    }
  }
  setFollowerHighWatermark(p, data.highWatermark);
  return outcome;
}

/**
 * The whole, intact batches that continue this log at `logEndOffset`, as one view; batches
 * wholly below it are skipped, a partial tail is left for the next fetch. A string says why
 * the bytes cannot be appended.
 */
export function appendableBatches(records: Uint8Array, logEndOffset: number): Uint8Array | string {
  let start = -1;
  let end = 0;
  let next = logEndOffset;
  for (let at = 0; at < records.length;) {
    const check = checkBatch(records, at);
    if (!check.ok) {
      if (check.reason === 'truncated') break;
      return `corrupt batch at byte ${at}: ${check.message}`;
    }
    const { header, size } = check;
    if (lastOffsetOf(header) >= logEndOffset) {
      if (header.baseOffset !== next) {
        return `batch at offset ${header.baseOffset} does not continue the log at ${next}`;
      }
      if (start < 0) start = at;
      end = at + size;
      next = lastOffsetOf(header) + 1;
    }
    at += size;
  }
  return start < 0 ? records.subarray(0, 0) : records.subarray(start, end);
}

export function truncateToDivergence(
  p: Partition, log: PartitionLog, epoch: number, endOffset: number,
): void {
  const logEnd = log.logEndOffset;
  let target: number;
  if (endOffset < 0) {
    // The leader knows nothing of our epoch: keep only what was committed.
    target = Math.min(p.highWatermark, logEnd);
  } else if (epoch < 0) {
    target = Math.min(endOffset, logEnd);
  } else {
    const mine = log.endOffsetForEpoch(epoch);
    if (mine.epoch === epoch) target = Math.min(mine.endOffset, endOffset, logEnd);
    else if (mine.epoch < 0) target = Math.min(endOffset, logEnd);
    else target = Math.min(mine.endOffset, logEnd);
  }
  log.truncateTo(Math.max(target, 0));
  clampHighWatermark(p);
}

function handleOutOfRange(
  p: Partition, log: PartitionLog, data: FetchPartitionResponse,
): FetchedOutcome {
  const leaderStart = data.logStartOffset;
  if (leaderStart >= 0 && log.logEndOffset < leaderStart) {
    log.truncateFullyAndStartAt(leaderStart);
    clampHighWatermark(p); // the log is empty at leaderStart, and so is the high watermark
    return { kind: 'truncated', logEndOffset: log.logEndOffset };
  }
  const leaderHighWatermark = data.highWatermark;
  if (leaderHighWatermark >= 0 && leaderHighWatermark < log.logEndOffset) {
    log.truncateTo(leaderHighWatermark);
    clampHighWatermark(p);
    return { kind: 'truncated', logEndOffset: log.logEndOffset };
  }
  return { kind: 'retry', reason: 'offset out of range, and no truncation would help' };
}
