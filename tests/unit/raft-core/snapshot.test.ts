import t from 'tap';
import { RaftError, Role } from '../../../raft/core/types.js';
import type { RaftMessage } from '../../../raft/core/types.js';
import { messagesOfType, soloCore, TEST_CONFIG, TestCluster, value } from './harness.js';

t.test('snapshotCreated moves the log start to endOffset - retainEntries', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  for (let i = 0; i < 10; i++) cluster.propose(1, i);
  cluster.tick(2);
  const leader = cluster.node(1);
  const id = leader.takeSnapshot(3);
  t.equal(id.endOffset, 11);
  t.equal(leader.core.logStartOffset, 8);
  const ready = leader.begin();
  t.equal(ready.logStartOffset, 8, 'the driver may delete entries below it');
  leader.finish();
  t.equal(leader.durable.logStartOffset, 8);
});

t.test(
  'a follower behind the log start installs the leader snapshot chunk by chunk (KIP-630)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.crash(3);
    for (let i = 0; i < 20; i++) cluster.propose(1, i);
    cluster.tick(2);
    const snapshot = cluster.node(1).takeSnapshot(0);
    cluster.node(1).drain();
    cluster.propose(1, 100, 101);
    cluster.restart(3);
    const requests: RaftMessage[] = [];
    cluster.process();
    while (cluster.queue.length > 0) {
      requests.push(...messagesOfType(cluster.queue, 'FetchSnapshotRequest'));
      cluster.deliver();
    }
    const size = cluster.node(1).durable.snapshot!.bytes.byteLength;
    t.equal(
      requests.length,
      Math.ceil(size / TEST_CONFIG.snapshotChunkBytes),
      `${size} bytes in chunks`,
    );
    const follower = cluster.node(3);
    const installs = follower.readies.filter((r) => r.installSnapshot !== undefined);
    t.equal(installs.length, 1);
    t.same(installs[0]!.installSnapshot!.id, snapshot);
    t.same(
      installs[0]!.installSnapshot!.bytes,
      cluster.node(1).durable.snapshot!.bytes,
      'byte for byte',
    );
    t.equal(follower.core.logStartOffset, snapshot.endOffset);
    t.equal(follower.core.logEndOffset, cluster.core(1).logEndOffset, 'then the tail by fetching');
    t.equal(follower.core.highWatermark, cluster.core(1).highWatermark);
    const committedAfter = follower.applied
      .filter((e) => e.offset >= snapshot.endOffset)
      .map((e) => e.offset);
    t.same(
      committedAfter,
      [snapshot.endOffset, snapshot.endOffset + 1],
      'committed continues from the snapshot end',
    );
    t.notOk(
      follower.applied.some((e) => e.offset > 0 && e.offset < snapshot.endOffset),
      'nothing inside it',
    );
  },
);

t.test(
  'a follower whose divergent tail lies in compacted epochs gets the snapshot (KIP-630)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.isolate(1);
    for (let i = 0; i < 5; i++) cluster.core(1).propose([new Uint8Array(4)]);
    cluster.node(1).drain();
    cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks, [2, 3]);
    const [leader] = cluster.leaders().filter((id) => id !== 1);
    for (let i = 0; i < 3; i++) cluster.propose(leader!, i);
    const snapshot = cluster.node(leader!).takeSnapshot(0);
    cluster.heal();
    cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks);
    t.equal(cluster.core(1).role, Role.follower);
    t.ok(
      cluster.node(1).readies.some((r) => r.installSnapshot?.id.endOffset === snapshot.endOffset),
    );
    t.same(
      cluster
        .core(1)
        .entries()
        .map((e) => [e.offset, e.epoch]),
      cluster
        .core(leader!)
        .entries()
        .map((e) => [e.offset, e.epoch]),
    );
  },
);

t.test(
  'a transfer starts over when the leader no longer has that snapshot (SNAPSHOT_NOT_FOUND)',
  async (t) => {
    const node = soloCore(2, [1, 2, 3]);
    node.core.step({
      from: 1,
      to: 2,
      body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
    });
    node.drain();
    const id = { endOffset: 10, epoch: 1 };
    node.core.step({
      from: 1,
      to: 2,
      body: {
        type: 'FetchResponse',
        epoch: 1,
        leaderId: 1,
        error: RaftError.none,
        highWatermark: 10,
        logStartOffset: 10,
        entries: [],
        snapshotId: id,
      },
    });
    const [request] = messagesOfType(node.drain(), 'FetchSnapshotRequest');
    t.same([request?.body.snapshotId, request?.body.position], [id, 0]);
    node.core.step({
      from: 1,
      to: 2,
      body: {
        type: 'FetchSnapshotResponse',
        epoch: 1,
        leaderId: 1,
        error: RaftError.snapshotNotFound,
        snapshotId: id,
        size: 0,
        position: 0,
        bytes: new Uint8Array(0),
      },
    });
    const sent = node.drain();
    t.equal(
      messagesOfType(sent, 'FetchRequest').length,
      1,
      'back to fetching, to learn the new snapshot',
    );
    t.equal(node.core.logEndOffset, 0);
  },
);

t.test(
  'a leader keeps serving a snapshot still being pulled after it takes a newer one',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3], config: { snapshotChunkBytes: 8 } });
    cluster.elect(1);
    cluster.crash(3);
    for (let i = 0; i < 20; i++) cluster.propose(1, i);
    const first = cluster.node(1).takeSnapshot(0);
    cluster.node(1).drain();
    cluster.restart(3);
    const responses: RaftMessage[] = [];
    const deliver = (): void => {
      responses.push(...messagesOfType(cluster.queue, 'FetchSnapshotResponse'));
      cluster.deliver();
    };
    while (responses.length < 2) deliver();
    cluster.core(1).propose([value(99)]);
    while (cluster.core(1).highWatermark <= first.endOffset) deliver();
    const second = cluster.node(1).takeSnapshot(0);
    t.equal(cluster.core(1).logStartOffset, second.endOffset);
    while (cluster.queue.length > 0) deliver();
    const installed = cluster.node(3).readies.flatMap((r) => r.installSnapshot?.id ?? []);
    t.same(installed, [first, second], 'the first transfer finished, then the newer one');
    const notFound = responses.filter(
      (m) => m.body.type === 'FetchSnapshotResponse' && m.body.error !== 'NONE',
    );
    t.equal(notFound.length, 0, 'no SNAPSHOT_NOT_FOUND restart');
    t.equal(cluster.core(3).logEndOffset, cluster.core(1).logEndOffset);
  },
);
