/**
 * When the driver snapshots the state machine, and how many entries the log keeps behind the
 * snapshot. Injectable: production counts applied bytes (KRaft's
 * metadata.log.max.record.bytes.between.snapshots); the simulator counts entries and draws a
 * random retain count so that followers often need a snapshot transfer.
 */
import type { LogEntry, Offset } from '../core/types.js';
import { EntryKind } from '../core/types.js';

export interface SnapshotPolicy {
  /**
   * After the state machine applied `entries` (ending at `appliedEndOffset`): the number of
   * entries to retain behind a snapshot taken now, or undefined when none is due.
   */
  afterApply(entries: readonly LogEntry[], appliedEndOffset: Offset): number | undefined;
  /** The state machine's state was snapshotted, installed or loaded at `endOffset`. */
  reset(endOffset: Offset): void;
}

/** A snapshot once `everyBytes` bytes of data entries were applied since the last one. */
export function everyBytesPolicy(everyBytes: number, retainEntries: number): SnapshotPolicy {
  let bytes = 0;
  return {
    afterApply(entries) {
      for (const entry of entries) {
        if (entry.kind === EntryKind.data) bytes += entry.data.byteLength;
      }
      return bytes >= everyBytes ? retainEntries : undefined;
    },
    reset() {
      bytes = 0;
    },
  };
}
