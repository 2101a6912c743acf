/**
 * raft/storage: the durable state of a Raft node, split by access pattern (types.ts):
 *
 *  - the log (FileLogStore): segment files `<20-digit base offset>.log`, one CRC-32C frame per
 *    append() call, frames chained by the previous frame's crc (batch-codec.ts). append(),
 *    truncateFrom() and resetTo() only write to the page cache; sync() makes everything before
 *    it durable with asynchronous fdatasync and directory fsync, coalescing concurrent calls.
 *    open() recovers the longest valid prefix of the log and reports what it cut
 *    (log-recovery.ts).
 *  - the quorum state (FileQuorumStateStore): `quorum-state`, KRaft's JSON layout, replaced
 *    atomically; a corrupt file is an error, never a reset.
 *  - snapshots (FileSnapshotStore): `<endOffset>-<epoch>.checkpoint` files, written via `.part`
 *    and rename; the newest valid one is kept, in memory too.
 *
 * Each has an in-memory twin (Memory*) with the same checks, whose crash() returns what a restart
 * would find, for the simulator: the durable state plus any prefix of the unsynced changes.
 *
 * Ordering rules for the runtime (Raft thesis §3.8):
 *  - write the quorum state before sending any message that depends on it;
 *  - acknowledge entries only once a sync() called after their append() has resolved;
 *  - install a snapshot by writing it first, then resetTo(its endOffset); trim the log with
 *    deleteBefore(snapshot endOffset) only after the snapshot write resolved;
 *  - after open, the log may start below the snapshot's end offset S (whole segments are
 *    deleted; the logical start is not persisted: KRaft, too, derives it from the latest
 *    snapshot), or, after a crash between the snapshot write and resetTo, not reach S, start
 *    above it or hold an older epoch's entries below it: alignLogWithSnapshot
 *    (snapshot-alignment.ts) says whether to keep it, deleteBefore(S) or resetTo(S).
 *
 * Errors: a violated precondition (wrong offset, epoch going back, over a limit) is a bug and
 * fails an assert; an I/O error leaves a store failed, and the node must restart; unreadable
 * quorum state is a CorruptStorageError naming the file.
 */
export type { LogStore, QuorumStateStore, SnapshotStore } from './types.js';
export { FileLogStore, type FileLogStoreOptions } from './file-log-store.js';
export type { RecoveryReport } from './log-recovery.js';
export { FileQuorumStateStore } from './file-quorum-state-store.js';
export {
  FileSnapshotStore,
  type Snapshot,
  type SnapshotRecoveryReport,
} from './file-snapshot-store.js';
export {
  MemoryLogStore,
  type CrashOptions,
  type MemoryLogStoreOptions,
} from './memory-log-store.js';
export {
  MemoryQuorumStateStore,
  type MemoryQuorumStateStoreOptions,
} from './memory-quorum-state-store.js';
export { MemorySnapshotStore, type MemorySnapshotStoreOptions } from './memory-snapshot-store.js';
export { CorruptStorageError } from './errors.js';
export {
  alignLogWithSnapshot, type LogAlignment, type LogExtent,
} from './snapshot-alignment.js';
export { INITIAL_QUORUM_STATE } from './quorum-state-codec.js';
export {
  BATCH_BYTES_CEILING,
  BATCH_BYTES_MAX_DEFAULT,
  BATCH_ENTRIES_MAX_DEFAULT,
  SEGMENT_BYTES_DEFAULT,
  type LogStoreLimits,
  type LogStoreOptions,
} from './limits.js';
export { entriesFrameBytes, FRAME_HEADER_BYTES, ENTRY_HEADER_BYTES } from './batch-codec.js';
export {
  segmentFileName,
  snapshotFileName,
  parseSnapshotFileName,
  QUORUM_STATE_FILE_NAME,
} from './file-names.js';
