/**
 * raft/driver: the one Ready loop, synchronous and free of I/O, that every host runs:
 * RaftNode (runtime.ts: files, sockets, timers), the simulator's node (tests/sim/sim-node.ts:
 * a faulty disk and network on virtual time) and the unit harness (tests/unit/raft-core:
 * an instant disk). Hosts perform the commands it hands out (commands.ts) and report when the
 * durable ones are on disk; the driver does the rest, the same way everywhere.
 *
 * The order of one Ready and why (core/index.ts has the core's side of the contract):
 *  1 persist the quorum state: a vote or an adopted epoch must survive a crash before any
 *    message that depends on it leaves (Raft thesis §3.8);
 *  2 send messages (a leader replicates before its own fsync, thesis §10.2.1);
 *  3 write an installed snapshot to the snapshot store and wait until it is durable; only then
 *  4 write the log: reset it to the snapshot's end, truncate, append, fsync, and delete what
 *    lies below the log start. The snapshot is durable before the log is reset, so a crash
 *    in between leaves the snapshot plus the old log, which recovery aligns
 *    (storage/snapshot-alignment.ts); the other order could leave an empty log with no
 *    snapshot, losing committed entries;
 *  5 send messagesAfterPersist (fetch requests: their fetch offset acknowledges the entries);
 *  6 core.persisted(); if a snapshot was installed, the state machine restores it and every
 *    pending proposal fails (the log they were appended to is gone); the committed entries
 *    are applied as one batch; committed listeners run; committed proposals are settled.
 * Between Readies: leader-change listeners (role, epoch or leader changed), a due snapshot of
 * the state machine (written durably, then core.snapshotCreated), then group commit: the
 * proposals buffered since the last Ready go to the core in batches of at most maxBatchBytes.
 *
 * Files: raft-driver.ts (the loop), commands.ts (commands and completions), proposals.ts
 * (group-commit buffer, pending proposals with deadlines in ticks), snapshot-policy.ts (when
 * to snapshot, injectable).
 */
export { RaftDriver } from './raft-driver.js';
export type {
  CommittedListener, DriverLimits, DriverObserver, LeaderAndEpoch, LeaderChangeListener,
  RaftDriverOptions,
} from './raft-driver.js';
export { CommandKind } from './commands.js';
export type {
  DriverCommand, DurableCommand, PersistQuorumState, Send, WriteLog, WriteSnapshot,
} from './commands.js';
export type { ProposalCallback, ProposalResult } from './proposals.js';
export { everyBytesPolicy, type SnapshotPolicy } from './snapshot-policy.js';
