/**
 * What a restart does with the log so that it continues the latest snapshot (run before the
 * core starts, by file-node.ts and by the simulator's disk alike).
 *
 * The log's logical start is not persisted: it is the latest snapshot's end offset S (KRaft
 * derives it the same way). A snapshot install writes the snapshot durably first and resets
 * the log afterwards, so a crash in between leaves the new snapshot beside the old log. That
 * log is kept from S on only if it holds the snapshot's last entry with the snapshot's epoch:
 * then, by Log Matching (Raft §5.3), everything below S is the committed prefix the snapshot
 * covers, and what follows is a suffix like any other. Otherwise (it does not reach S, starts
 * above it, or diverged below it: a follower's uncommitted tail of an older epoch) it is reset
 * to start empty at S, as Kafka's KafkaMetadataLog.truncateToLatestSnapshot does.
 */
import type { Epoch, Offset, SnapshotId } from '../core/types.js';

export type LogAlignment =
  | { readonly kind: 'keep' }
  | { readonly kind: 'deleteBefore'; readonly offset: Offset }
  | { readonly kind: 'resetTo'; readonly offset: Offset };

export interface LogExtent {
  readonly startOffset: Offset;
  readonly endOffset: Offset;
  /** The epoch of the entry at `offset`, for startOffset <= offset < endOffset. */
  epochAt(offset: Offset): Epoch | undefined;
}

export function alignLogWithSnapshot(
  snapshot: SnapshotId | undefined, log: LogExtent,
): LogAlignment {
  if (snapshot === undefined) return { kind: 'keep' };
  const end = snapshot.endOffset;
  const inside = log.startOffset <= end && end <= log.endOffset;
  if (inside && end === log.startOffset) return { kind: 'keep' };
  if (inside && log.epochAt(end - 1) === snapshot.epoch) {
    return { kind: 'deleteBefore', offset: end };
  }
  return { kind: 'resetTo', offset: end };
}
