/**
 * Opens a Raft node whose state lives in one directory (KRaft's `__cluster_metadata-0`):
 * segment files, `quorum-state` and snapshots, recovered before the core starts.
 */
import { mkdir } from 'node:fs/promises';
import { RaftNode, type RaftNodeOptions } from './runtime.js';
import { FileLogStore, FileQuorumStateStore, FileSnapshotStore } from './storage/index.js';
import type { FileLogStoreOptions, RecoveryReport } from './storage/index.js';

export interface FileRaftNodeOptions
  extends Omit<RaftNodeOptions, 'logStore' | 'quorumStateStore' | 'snapshotStore'> {
  readonly logDir: string;
  readonly logStoreOptions?: FileLogStoreOptions;
}

export interface OpenedRaftNode {
  readonly node: RaftNode;
  readonly recovery: RecoveryReport;
}

export async function openFileRaftNode(options: FileRaftNodeOptions): Promise<OpenedRaftNode> {
  await mkdir(options.logDir, { recursive: true });
  const logStore = await FileLogStore.open(options.logDir, options.logStoreOptions);
  const quorumStateStore = await FileQuorumStateStore.open(options.logDir);
  const snapshotStore = await FileSnapshotStore.open(options.logDir);
  // The log's logical start is not persisted: it is the latest snapshot's end offset. After a
  // crash during a snapshot install the log may not reach it; then it starts anew there.
  const snapshotEnd = snapshotStore.latest()?.id.endOffset;
  if (snapshotEnd !== undefined) {
    const inside = logStore.startOffset() <= snapshotEnd && snapshotEnd <= logStore.endOffset();
    if (inside) logStore.deleteBefore(snapshotEnd);
    else logStore.resetTo(snapshotEnd);
    await logStore.sync();
  }
  const node = new RaftNode({ ...options, logStore, quorumStateStore, snapshotStore });
  return { node, recovery: logStore.recovery };
}
