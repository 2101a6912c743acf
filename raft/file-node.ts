/**
 * Opens a Raft node whose state lives in one directory (KRaft's `__cluster_metadata-0`):
 * segment files, `quorum-state` and snapshots, recovered before the core starts.
 */
import { mkdir } from 'node:fs/promises';
import { RaftNode, type RaftNodeOptions } from './runtime.js';
import type { SnapshotId } from './core/types.js';
import {
  alignLogWithSnapshot, FileLogStore, FileQuorumStateStore, FileSnapshotStore,
} from './storage/index.js';
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
  await alignWithSnapshot(logStore, snapshotStore.latest()?.id);
  const node = new RaftNode({ ...options, logStore, quorumStateStore, snapshotStore });
  return { node, recovery: logStore.recovery };
}

/** The log continues the latest snapshot (storage/snapshot-alignment.ts). */
async function alignWithSnapshot(
  logStore: FileLogStore, snapshot: SnapshotId | undefined,
): Promise<void> {
  if (snapshot === undefined) return;
  const startOffset = logStore.startOffset();
  const endOffset = logStore.endOffset();
  const entries = startOffset < snapshot.endOffset && snapshot.endOffset <= endOffset
    ? logStore.readAll() : [];
  const alignment = alignLogWithSnapshot(snapshot, {
    startOffset, endOffset, epochAt: (offset) => entries[offset - startOffset]?.epoch,
  });
  if (alignment.kind === 'keep') return;
  if (alignment.kind === 'deleteBefore') logStore.deleteBefore(alignment.offset);
  else logStore.resetTo(alignment.offset);
  await logStore.sync();
}
