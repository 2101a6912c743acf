/**
 * The storage contracts of the Raft module, split by access pattern (as hashicorp/raft does):
 * the log (append, truncate a suffix, drop a prefix), the quorum state (epoch, vote, leader),
 * and snapshots. Each has a file-backed implementation and an in-memory twin for tests.
 */
import type { LogEntry, Offset, QuorumState, SnapshotId } from '../core/types.js';

export interface LogStore {
  /** Offset of the first entry kept (entries below were dropped behind a snapshot). */
  startOffset(): Offset;
  /** One past the last entry written (durable or not). */
  endOffset(): Offset;
  /** Every entry from startOffset() to endOffset(), as recovered at open time and appended since. */
  readAll(): LogEntry[];
  /** Writes entries (contiguous, starting at endOffset()) as one batch; durable only after sync(). */
  append(entries: readonly LogEntry[]): void;
  /** Removes every entry at offset >= `offset`. */
  truncateFrom(offset: Offset): void;
  /** Allows entries below `offset` to be deleted (whole segments go; the start offset moves). */
  deleteBefore(offset: Offset): void;
  /** Resets the log to empty, starting at `offset` (after a snapshot install). */
  resetTo(offset: Offset): void;
  /** fsync: once it resolves, everything appended or truncated before the call is durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface QuorumStateStore {
  read(): QuorumState;
  /** Atomic and durable: write to a temp file, fsync, rename, fsync the directory. */
  write(state: QuorumState): Promise<void>;
}

export interface SnapshotStore {
  /** The newest complete snapshot, or undefined. */
  latest(): { id: SnapshotId; bytes: Uint8Array } | undefined;
  /** Atomic and durable, as for the quorum state; older snapshots may be deleted afterwards. */
  write(id: SnapshotId, bytes: Uint8Array): Promise<void>;
}
