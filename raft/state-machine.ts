/**
 * What a user of the Raft module supplies: the state machine that committed entries are applied
 * to. The module knows nothing of what the entries mean; the metadata controller is one user.
 */
import type { LogEntry, SnapshotId } from './core/types.js';

export interface StateMachine {
  /** Committed data entries, in offset order, each exactly once per process lifetime. */
  apply(entries: readonly LogEntry[]): void;
  /** The state after every entry applied so far, as bytes (called between apply calls). */
  snapshot(): Uint8Array;
  /** Replaces the whole state by a snapshot's (at start-up, or when the leader sent one). */
  restore(id: SnapshotId, bytes: Uint8Array): void;
}
