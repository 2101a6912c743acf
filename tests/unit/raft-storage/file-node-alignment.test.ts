/**
 * A crash between a snapshot install's snapshot write and its log reset leaves the new
 * snapshot beside the old log (raft/driver writes the snapshot first). openFileRaftNode must
 * align the log with it (snapshot-alignment.ts) before the core reads it.
 */
import { join } from 'node:path';
import t from 'tap';
import { openFileRaftNode } from '../../../raft/file-node.js';
import { FileLogStore, FileSnapshotStore } from '../../../raft/storage/index.js';
import type { RaftTransport } from '../../../raft/transport/types.js';
import { entry } from '../raft-core/harness.js';
import { RecordingMachine } from '../raft-driver/fixtures.js';
import { tempDir } from './fixtures/helpers.js';

const silentTransport: RaftTransport = {
  send: () => undefined,
  onMessage: () => undefined,
  onPeerDisconnected: () => undefined,
  close: async () => undefined,
};

async function crashedDuringInstall(
  dir: string, logEpochs: readonly number[], snapshot: { endOffset: number; epoch: number },
): Promise<void> {
  const log = await FileLogStore.open(dir);
  log.append(logEpochs.map((epoch, offset) => entry(offset, epoch)));
  await log.sync();
  await log.close();
  const snapshots = await FileSnapshotStore.open(dir);
  await snapshots.write(snapshot, new TextEncoder().encode('the image at the snapshot'));
}

async function open(dir: string) {
  const machine = new RecordingMachine();
  const { node } = await openFileRaftNode({
    nodeId: 2, voters: [1, 2, 3], logDir: dir, transport: silentTransport,
    stateMachine: machine, seed: 1,
  });
  return { node, machine };
}

t.test('a log that diverged below the installed snapshot starts anew at its end', async (t) => {
  // A follower's uncommitted tail of epoch 2 (offsets 3..9); the snapshot of the leader of
  // epoch 3 ends at 8. Kept from 8 on, the log would be epoch 2 after epoch 3.
  const dir = join(await tempDir(t), 'metadata');
  await crashedDuringInstall(dir, [1, 1, 1, 2, 2, 2, 2, 2, 2, 2], { endOffset: 8, epoch: 3 });
  const { node, machine } = await open(dir);
  t.same(machine.restored, [{ endOffset: 8, epoch: 3 }]);
  t.match(node.status(), { logStartOffset: 8, logEndOffset: 8 });
  await node.close();
});

t.test('a log that holds the snapshot end with its epoch keeps its suffix', async (t) => {
  const dir = join(await tempDir(t), 'metadata');
  await crashedDuringInstall(dir, [1, 1, 2, 2, 2, 2], { endOffset: 4, epoch: 2 });
  const { node } = await open(dir);
  t.match(node.status(), { logStartOffset: 4, logEndOffset: 6 });
  await node.close();
});
