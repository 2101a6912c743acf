import t from 'tap';
import { Role } from '../../../raft/core/types.js';
import {
  emptyDurable, entry, fetchResponse, messagesOfType, soloCore, TestCluster,
} from './harness.js';
import type { Durable } from './harness.js';

function durableLog(epoch: number, epochs: readonly number[]): Durable {
  return {
    ...emptyDurable(),
    quorum: { epoch, votedId: -1, leaderId: -1 },
    entries: epochs.map((e, offset) => entry(offset, e)),
  };
}

t.test(
  'a follower with entries of a stale epoch truncates to the diverging epoch, then converges (KIP-595, Raft Figure 7)',
  async (t) => {
    const cluster = new TestCluster({
      voters: [1, 2, 3],
      durables: {
        1: durableLog(3, [1, 1, 3]),
        2: durableLog(3, [1, 1, 2, 2, 2]),
        3: durableLog(3, [1, 1]),
      },
    });
    cluster.elect(1);
    cluster.tick(3);
    const expected = [1, 1, 3, 4];
    for (const id of [1, 2, 3]) {
      t.same(
        cluster
          .core(id)
          .entries()
          .map((e) => e.epoch),
        expected,
        `node ${id} (Log Matching)`,
      );
    }
    const truncations = cluster.node(2).readies.filter((r) => r.truncateFrom !== undefined);
    t.same(
      truncations.map((r) => r.truncateFrom),
      [2],
      'node 2 dropped exactly its epoch-2 suffix',
    );
    t.equal(cluster.core(2).highWatermark, 4);
  },
);

t.test(
  'the leader answers a diverging fetch with the end of the largest epoch <= lastFetchedEpoch (KIP-595)',
  async (t) => {
    const cluster = new TestCluster({
      voters: [1, 2, 3],
      durables: { 1: durableLog(3, [1, 1, 3]), 2: durableLog(3, [1, 1]), 3: durableLog(3, [1, 1]) },
    });
    cluster.elect(1);
    const leader = cluster.node(1);
    leader.core.step({
      from: 2,
      to: 1,
      body: {
        type: 'FetchRequest',
        epoch: 4,
        replicaId: 2,
        fetchOffset: 5,
        lastFetchedEpoch: 2,
        maxBytes: 100,
      },
    });
    const [response] = messagesOfType(leader.drain(), 'FetchResponse');
    t.same(response?.body.divergingEpoch, { epoch: 1, endOffset: 2 });
    t.same(response?.body.entries, []);
  },
);

t.test(
  'only an entry of its own epoch lets a leader commit older entries (Raft §5.4.2, Figure 8)',
  async (t) => {
    // Node 1 holds an uncommitted entry of epoch 2 at offset 1; the others only have offset 0.
    // Fetches carry one entry each, so node 2 acknowledges offset 1 before the leaderChange entry.
    const cluster = new TestCluster({
      voters: [1, 2, 3],
      config: { fetchMaxBytes: 4 },
      durables: { 1: durableLog(3, [1, 2]), 2: durableLog(3, [1]), 3: durableLog(3, [1]) },
    });
    cluster.isolate(3);
    cluster.block(1, 3);
    for (let i = 0; i < 100 && cluster.core(1).role !== Role.leader; i++) {
      cluster.core(1).tick();
      cluster.process();
      cluster.deliver();
    }
    t.equal(cluster.core(1).epochStartOffset, 2);
    const seen: number[] = [];
    let acknowledgedOldEntryOnly = false;
    for (let round = 0; round < 50; round++) {
      cluster.deliver((m) => {
        if (m.body.type === 'FetchRequest' && m.to === 1 && m.body.fetchOffset === 2) {
          acknowledgedOldEntryOnly = true;
        }
        return false;
      });
      seen.push(cluster.core(1).highWatermark);
      cluster.core(1).tick();
    }
    t.ok(
      acknowledgedOldEntryOnly,
      'a majority (1, 2) held the epoch-2 entry before any epoch-4 entry',
    );
    t.notOk(
      seen.includes(1) || seen.includes(2),
      `HW jumped from 0 to 3: ${[...new Set(seen)].join(',')}`,
    );
    t.equal(cluster.core(1).highWatermark, 3);
  },
);

t.test(
  'a flushed end offset never counts entries truncated while their fsync ran (async-write ABA race)',
  async (t) => {
    const node = soloCore(2, [1, 2, 3]);
    node.drain();
    node.core.step({
      from: 1,
      to: 2,
      body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
    });
    node.drain();
    node.core.step(fetchResponse(1, 2, 1, { entries: [entry(0, 1), entry(1, 1), entry(2, 1)] }));
    const writing = node.core.ready(); // appends 0..2; its fsync is still running
    t.equal(writing.append.length, 3);
    node.core.step({
      from: 3,
      to: 2,
      body: { type: 'BeginQuorumEpochRequest', epoch: 2, leaderId: 3 },
    });
    const next = node.core.ready(); // carries the quorum state and the fetch to node 3
    const [fetch] = messagesOfType(next.messagesAfterPersist, 'FetchRequest');
    t.same([fetch?.body.fetchOffset, fetch?.body.lastFetchedEpoch], [3, 1]);
    // Node 3's log is [e1@0, e2@1, e2@2]: our offsets 1..2 diverge.
    node.core.step(fetchResponse(3, 2, 2, { divergingEpoch: { epoch: 1, endOffset: 1 } }));
    t.equal(node.core.logEndOffset, 1);
    const truncate = node.core.ready(); // truncateFrom 1, and the next fetch
    t.equal(truncate.truncateFrom, 1, 'the truncation reaches the disk in the next Ready');
    node.core.step(fetchResponse(3, 2, 2, { entries: [entry(1, 2), entry(2, 2)] }));
    t.equal(node.core.logEndOffset, 3, 'the same offsets again, now of epoch 2');
    node.core.persisted(writing.readyId);
    t.equal(
      node.core.flushedEndOffset,
      1,
      'offsets 1..2 on disk are the epoch-1 ones: not flushed',
    );
    node.core.persisted(next.readyId);
    node.core.persisted(truncate.readyId);
    t.equal(node.core.flushedEndOffset, 1);
    const rewrite = node.core.ready();
    t.same(
      rewrite.append.map((e) => [e.offset, e.epoch]),
      [
        [1, 2],
        [2, 2],
      ],
    );
    node.core.persisted(rewrite.readyId);
    t.equal(node.core.flushedEndOffset, 3);
  },
);

t.test(
  'a late duplicate of a diverging response is ignored once the log matches the leader',
  async (t) => {
    const node = soloCore(2, [1, 2, 3], durableLog(2, [1, 1, 2, 2, 2]));
    node.drain();
    node.core.step({
      from: 1,
      to: 2,
      body: { type: 'BeginQuorumEpochRequest', epoch: 3, leaderId: 1 },
    });
    node.drain();
    const diverging = fetchResponse(1, 2, 3, { divergingEpoch: { epoch: 1, endOffset: 2 } });
    node.core.step(diverging);
    t.equal(node.core.logEndOffset, 2);
    node.drain();
    node.core.step(
      fetchResponse(1, 2, 3, { entries: [entry(2, 3), entry(3, 3)], highWatermark: 4 }),
    );
    node.drain();
    t.equal(node.core.highWatermark, 4);
    node.core.step(diverging);
    t.equal(node.core.logEndOffset, 4, 'no truncation below the HW, and none of matched entries');
    t.equal(node.drain().length, 0);
  },
);

t.test('a late answer to an earlier fetch does not append twice', async (t) => {
  const node = soloCore(2, [1, 2, 3]);
  node.core.step({
    from: 1,
    to: 2,
    body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
  });
  node.drain();
  const first = fetchResponse(1, 2, 1, { entries: [entry(0, 1), entry(1, 1)], highWatermark: 2 });
  node.core.step(first);
  node.drain();
  node.core.step(first);
  t.equal(node.core.logEndOffset, 2);
  t.same(
    node.applied.map((e) => e.offset),
    [0, 1],
  );
});
