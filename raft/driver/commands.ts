/**
 * What the driver asks its host to do (commands out) and the host reports done (completions
 * in). The driver itself does no I/O: the same driver runs on real files and sockets
 * (runtime.ts), on the simulator's disk and network, and on the unit harness's instant disk.
 *
 * `send` needs no completion: the host hands the messages to its transport and moves on. Every
 * other command is durable I/O: the host calls `driver.completed(command)` once it is on disk,
 * and the driver hands out nothing else meanwhile.
 */
import type {
  LogEntry, Offset, QuorumState, RaftMessage, SnapshotId,
} from '../core/types.js';

export const CommandKind = {
  persistQuorumState: 'persistQuorumState',
  send: 'send',
  writeSnapshot: 'writeSnapshot',
  writeLog: 'writeLog',
} as const;

/** Write the quorum state (epoch, vote, leader) atomically and durably. */
export interface PersistQuorumState {
  readonly kind: typeof CommandKind.persistQuorumState;
  readonly state: QuorumState;
}

/** Hand the messages to the transport, in order. */
export interface Send {
  readonly kind: typeof CommandKind.send;
  readonly messages: readonly RaftMessage[];
}

/**
 * Store a snapshot atomically and durably: one the leader sent (`install`), or one this node's
 * state machine took (`create`, after which the log keeps `retainEntries` entries behind it).
 */
export interface WriteSnapshot {
  readonly kind: typeof CommandKind.writeSnapshot;
  readonly reason: 'install' | 'create';
  readonly id: SnapshotId;
  readonly bytes: Uint8Array;
  readonly retainEntries: number;
}

/**
 * The log part of a Ready, applied in field order: `resetTo` (empty the log so it starts
 * there: a snapshot was installed, and is durable already), `truncateFrom`, `append`; then, if
 * `sync`, one fsync; then `deleteBefore` (entries below it may go, a snapshot covers them).
 * Complete it once the fsync returned (at once when `sync` is false).
 */
export interface WriteLog {
  readonly kind: typeof CommandKind.writeLog;
  readonly resetTo: Offset | undefined;
  readonly truncateFrom: Offset | undefined;
  readonly append: readonly LogEntry[];
  readonly sync: boolean;
  readonly deleteBefore: Offset | undefined;
}

export type DurableCommand = PersistQuorumState | WriteSnapshot | WriteLog;
export type DriverCommand = DurableCommand | Send;
