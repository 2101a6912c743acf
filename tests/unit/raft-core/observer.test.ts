import t from 'tap';
import { RaftError, Role } from '../../../raft/core/types.js';
import { messagesOfType, soloCore, TEST_CONFIG, TestCluster, value } from './harness.js';

t.test(
  'an observer finds the leader by fetching from the voters and follows it (KIP-595)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3], observers: [4] });
    cluster.elect(2);
    cluster.propose(2, 1, 2, 3);
    cluster.tick(3 * TEST_CONFIG.electionBackoffMaxTicks);
    const observer = cluster.core(4);
    t.equal(observer.role, Role.follower);
    t.equal(observer.status().leaderId, 2);
    t.same(observer.entries(), cluster.core(2).entries());
    t.equal(observer.highWatermark, cluster.core(2).highWatermark);
    t.same(
      cluster.node(4).applied.map((e) => e.offset),
      [0, 1, 2, 3],
      'it hands out committed entries too',
    );
  },
);

t.test(
  'a voter that is not the leader answers an observer with NOT_LEADER_OR_FOLLOWER and its hint',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.core(3).step({
      from: 9,
      to: 3,
      body: {
        type: 'FetchRequest',
        epoch: 0,
        replicaId: 9,
        fetchOffset: 0,
        lastFetchedEpoch: 0,
        maxBytes: 100,
      },
    });
    const [response] = messagesOfType(cluster.node(3).drain(), 'FetchResponse');
    t.equal(response?.body.error, RaftError.notLeader);
    t.equal(response?.body.leaderId, 1);
    t.equal(response?.body.epoch, 1);
  },
);

t.test('an observer never votes and never runs for election', async (t) => {
  const node = soloCore(4, [1, 2, 3]);
  node.drain();
  node.core.step({
    from: 1,
    to: 4,
    body: {
      type: 'VoteRequest',
      epoch: 1,
      candidateId: 1,
      lastOffsetEpoch: 0,
      lastOffset: 0,
      preVote: false,
    },
  });
  const [response] = messagesOfType(node.drain(), 'VoteResponse');
  t.equal(response?.body.granted, false);
  t.equal(response?.body.error, RaftError.notVoter);
  t.equal(node.durable.quorum.votedId, -1);
  for (let i = 0; i < 20 * TEST_CONFIG.fetchTimeoutTicks; i++) {
    node.core.tick();
    const sent = node.drain();
    if (sent.some((m) => m.body.type === 'VoteRequest')) t.fail('an observer asked for votes');
  }
  t.equal(node.core.role, Role.unattached, 'it keeps looking for a leader');
  t.equal(node.core.epoch, 1);
});

t.test(
  'a leader with only observers besides itself commits nothing (observers never count)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3], observers: [4, 5, 6] });
    cluster.elect(1);
    cluster.tick(5);
    cluster.isolate(2);
    cluster.isolate(3);
    const hw = cluster.core(1).highWatermark;
    cluster.core(1).propose([value(1)]);
    cluster.tick(TEST_CONFIG.fetchTimeoutTicks, [1, 4, 5, 6]);
    t.equal(cluster.core(1).highWatermark, hw);
    t.equal(
      cluster.core(1).status().observers.length,
      3,
      'the leader tracks them (describe --replication)',
    );
    t.ok(
      cluster
        .core(1)
        .status()
        .observers.every((o) => o.logEndOffset === hw + 1),
    );
  },
);
