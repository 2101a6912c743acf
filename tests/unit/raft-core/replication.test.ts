import t from 'tap';
import { createPrng } from '../../../lib/prng.js';
import { RaftCore } from '../../../raft/core/raft-core.js';
import { EntryKind, Role } from '../../../raft/core/types.js';
import type { LogEntry } from '../../../raft/core/types.js';
import { ProposalError } from '../../../raft/pending-proposals.js';
import {
  emptyDurable, entry, fetchResponse, initialState, messagesOfType, soloCore, TEST_CONFIG,
  TestCluster, value,
} from './harness.js';

t.test(
  'a new leader writes a leaderChange entry at the start of its epoch (KIP-595)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    const leader = cluster.core(1);
    t.equal(leader.epochStartOffset, 0);
    t.same(
      leader.entries().map((e) => [e.offset, e.epoch, e.kind]),
      [[0, 1, EntryKind.leaderChange]],
    );
    t.equal(leader.highWatermark, 1, 'committed once a majority fetched it');
  },
);

t.test(
  'proposals are replicated by fetches and every node hands them out committed, in order (Raft §5.3)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3], observers: [4] });
    cluster.elect(1);
    cluster.tick(5);
    for (let i = 0; i < 5; i++) cluster.propose(1, 10 + i, 20 + i);
    cluster.tick(2);
    const expected = cluster
      .core(1)
      .entries()
      .map((e) => [e.offset, e.epoch]);
    t.equal(expected.length, 11);
    for (const id of [1, 2, 3, 4]) {
      const node = cluster.node(id);
      t.same(
        node.core.entries().map((e) => [e.offset, e.epoch]),
        expected,
        `node ${id} log (Log Matching)`,
      );
      t.same(
        node.applied.map((e) => [e.offset, e.epoch]),
        expected,
        `node ${id} committed once, in order`,
      );
      t.equal(node.core.highWatermark, 11);
    }
  },
);

t.test(
  'a follower sends its fetch only after the Ready that makes the fetch offset durable (KIP-595)',
  async (t) => {
    const node = soloCore(2, [1, 2, 3]);
    node.drain();
    node.core.step({
      from: 1,
      to: 2,
      body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
    });
    let ready = node.begin();
    t.same(ready.quorumState, { epoch: 1, votedId: -1, leaderId: 1 });
    t.equal(messagesOfType(ready.messages, 'FetchRequest').length, 0);
    const [first] = messagesOfType(ready.messagesAfterPersist, 'FetchRequest');
    t.same([first?.body.fetchOffset, first?.body.lastFetchedEpoch], [0, 0]);
    node.finish();
    node.core.step(fetchResponse(1, 2, 1, { entries: [entry(0, 1), entry(1, 1)], highWatermark: 1 }));
    ready = node.begin();
    t.same(
      ready.append.map((e) => e.offset),
      [0, 1],
      'the entries are written in step 3',
    );
    const [second] = messagesOfType(ready.messagesAfterPersist, 'FetchRequest');
    t.same(
      [second?.body.fetchOffset, second?.body.lastFetchedEpoch],
      [2, 1],
      'then acknowledged in step 4',
    );
    t.same(
      ready.committed.map((e) => e.offset),
      [0],
      'HW = min(leader HW, own end)',
    );
  },
);

t.test(
  'a follower has exactly one fetch in flight and resends it after requestTimeoutTicks',
  async (t) => {
    const node = soloCore(2, [1, 2, 3]);
    node.core.step({
      from: 1,
      to: 2,
      body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
    });
    t.equal(messagesOfType(node.drain(), 'FetchRequest').length, 1);
    for (let i = 1; i < TEST_CONFIG.requestTimeoutTicks; i++) {
      node.core.tick();
      t.equal(messagesOfType(node.drain(), 'FetchRequest').length, 0, `tick ${i}`);
    }
    node.core.tick();
    t.equal(messagesOfType(node.drain(), 'FetchRequest').length, 1, 'resent');
  },
);

t.test(
  'the leader replicates before its own fsync but counts itself only once flushed (thesis §10.2.1)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    const leader = cluster.node(1);
    const hw = leader.core.highWatermark;
    t.ok(leader.core.propose([value(1)]).ok);
    const ready = leader.begin();
    const responses = messagesOfType(ready.messages, 'FetchResponse');
    t.equal(responses.length, 2, 'parked fetches are answered with the entry at once (long poll)');
    for (const response of responses) cluster.core(response.to).step(response);
    for (const id of [2, 3]) for (const m of cluster.node(id).drain()) leader.core.step(m);
    t.equal(leader.core.highWatermark, hw, 'two followers acked, yet HW <= the leader flushed end');
    leader.finish();
    t.equal(leader.core.flushedEndOffset, hw + 1);
    t.equal(leader.core.highWatermark, hw + 1, 'committed once the leader flushed too');
  },
);

t.test(
  'with one follower, the leader HW waits for its own flush (CommittedIsDurable)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.crash(3);
    const leader = cluster.node(1);
    const hw = leader.core.highWatermark;
    leader.core.propose([value(1)]);
    const ready = leader.begin();
    for (const response of messagesOfType(ready.messages, 'FetchResponse')) {
      if (response.to === 2) cluster.core(2).step(response);
    }
    for (const m of cluster.node(2).drain()) leader.core.step(m);
    t.equal(leader.core.highWatermark, hw, 'the follower alone is no majority');
    leader.finish();
    t.equal(leader.core.highWatermark, hw + 1, 'leader flush + follower = majority');
  },
);

t.test('a fetch with nothing new waits up to fetchMaxWaitTicks (long poll)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2] });
  cluster.elect(1);
  const leader = cluster.node(1);
  for (let i = 1; i < TEST_CONFIG.fetchMaxWaitTicks; i++) {
    leader.core.tick();
    t.equal(messagesOfType(leader.drain(), 'FetchResponse').length, 0, `parked at tick ${i}`);
  }
  leader.core.tick();
  const [response] = messagesOfType(leader.drain(), 'FetchResponse');
  t.same(response?.body.entries, [], 'answered empty at the deadline');
});

t.test('a core without a long poll (fetchMaxWaitTicks 0) is refused at start-up', async (t) => {
  // Without parking, every duplicate of an empty fetch is answered and looks fresh to the
  // follower: on a duplicating network the fetches in flight multiply (a simulation storm).
  t.throws(() => new RaftCore(
    { ...TEST_CONFIG, fetchMaxWaitTicks: 0, nodeId: 1, voters: [1], prng: createPrng(1) },
    initialState(emptyDurable()),
  ), { name: 'AssertionFailure', message: 'fetchMaxWaitTicks must be an integer >= 1' });
});

t.test('observers are never counted toward the high watermark (KIP-595)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3], observers: [4, 5] });
  cluster.elect(1);
  cluster.tick(10);
  t.equal(cluster.core(4).role, Role.follower);
  const hw = cluster.core(1).highWatermark;
  cluster.crash(2);
  cluster.crash(3);
  cluster.core(1).propose([value(7)]);
  cluster.tick(3);
  t.equal(cluster.core(4).logEndOffset, hw + 1, 'observers replicated the entry');
  t.equal(cluster.core(5).logEndOffset, hw + 1);
  t.equal(cluster.core(1).highWatermark, hw, 'but leader + 2 observers commit nothing');
  cluster.restart(2);
  cluster.tick(5);
  t.equal(cluster.core(1).highWatermark, hw + 1, 'a second voter commits it');
});

t.test('propose on a non-leader returns NOT_LEADER_OR_FOLLOWER with the leader hint', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  t.same(cluster.core(2).propose([value(1)]), {
    ok: false,
    error: 'NOT_LEADER_OR_FOLLOWER',
    leaderId: 1,
    epoch: 1,
  });
});

t.test(
  'more than maxUncommittedBytes waiting for commit gets THROTTLING_QUOTA_EXCEEDED ' +
    '(backpressure, retriable)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3], config: { maxUncommittedBytes: 16 } });
    cluster.elect(1);
    cluster.isolate(1);
    for (let i = 0; i < 4; i++) t.ok(cluster.core(1).propose([value(i)]).ok, `value ${i} fits`);
    const refused = cluster.core(1).propose([value(9)]);
    t.equal(refused.ok, false);
    if (!refused.ok) t.equal(refused.error, 'THROTTLING_QUOTA_EXCEEDED');
    if (!refused.ok && refused.error === 'THROTTLING_QUOTA_EXCEEDED') {
      t.match(refused.message, /maxUncommittedBytes 16/);
      t.equal(new ProposalError(refused.error, refused.message).retriable, true,
        'a proposal refused for backpressure may be sent again');
    }
    cluster.heal();
    cluster.tick(5);
    t.ok(cluster.core(1).propose([value(9)]).ok, 'accepted again once committed');
  },
);

t.test(
  'committed entries include leaderChange entries and skip nothing (Ready.committed)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.propose(1, 1);
    cluster.core(1).resign();
    cluster.stabilize();
    cluster.tick(2);
    const [leader] = cluster.leaders();
    cluster.propose(leader!, 2);
    cluster.tick(2);
    const applied: readonly LogEntry[] = cluster.node(3).applied;
    t.same(
      applied.map((e) => e.offset),
      [0, 1, 2, 3],
    );
    t.same(
      applied.map((e) => e.kind),
      [1, 0, 1, 0],
    );
  },
);
