/**
 * What a user of the Raft module supplies: the state machine that committed entries are applied
 * to. The module knows nothing of what the entries mean; the metadata controller is one user.
 */
import type { LogEntry, SnapshotId } from './core/types.js';

export interface StateMachine {
  /**
   * Committed entries, data and control (LeaderChange), in offset order, each exactly once per
   * process lifetime. Control entries carry nothing for the application, but they move its
   * position in the log: a state machine that tracks its offset must count them, so that the
   * position after replaying a log equals the one a snapshot taken at the same applied offset
   * restores (snapshots are taken at the applied end, which may be a control entry).
   */
  apply(entries: readonly LogEntry[]): void;
  /** The state after every entry applied so far, as bytes (called between apply calls). */
  snapshot(): Uint8Array;
  /** Replaces the whole state by a snapshot's (at start-up, or when the leader sent one). */
  restore(id: SnapshotId, bytes: Uint8Array): void;
}
