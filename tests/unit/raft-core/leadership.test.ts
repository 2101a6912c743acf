import t from 'tap';
import { Role } from '../../../raft/core/types.js';
import { messagesOfType, soloCore, TEST_CONFIG, TestCluster, value } from './harness.js';

const CHECK_QUORUM_TICKS = Math.floor(1.5 * TEST_CONFIG.fetchTimeoutTicks);

t.test(
  'check-quorum: a leader that hears no fetch from a majority resigns after 1.5 x fetchTimeoutTicks (KAFKA-15489)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    // A zombie: it can still send, but nothing reaches it.
    cluster.blockOneWay(2, 1);
    cluster.blockOneWay(3, 1);
    let ticks = 0;
    while (cluster.core(1).role === Role.leader && ticks < 10 * CHECK_QUORUM_TICKS) {
      cluster.tick(1, [1]);
      ticks += 1;
    }
    t.equal(cluster.core(1).role, Role.resigned);
    t.equal(ticks, CHECK_QUORUM_TICKS, 'exactly at the check-quorum deadline');
    t.equal(cluster.core(1).propose([value(1)]).ok, false, 'a resigned leader takes no writes');
  },
);

t.test('check-quorum: one follower still fetching keeps a 3-voter leader in place', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  cluster.isolate(3);
  cluster.tick(5 * CHECK_QUORUM_TICKS, [1, 2]);
  t.same(cluster.leaders(), [1]);
});

t.test('a single voter never resigns for check-quorum', async (t) => {
  const node = soloCore(1, [1]);
  for (let i = 0; i < 10 * CHECK_QUORUM_TICKS; i++) {
    node.core.tick();
    node.drain();
  }
  t.equal(node.core.role, Role.leader);
  t.equal(node.core.epoch, 1);
});

t.test(
  'resign() sends EndQuorumEpoch ranked by log end; the first successor runs at once (KIP-595)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.isolate(3);
    cluster.propose(1, 1);
    cluster.heal();
    cluster.core(1).resign();
    const [first] = messagesOfType(cluster.node(1).drain(), 'EndQuorumEpochRequest');
    t.same(first?.body.preferredSuccessors, [2, 3], 'node 2 has the longer log');
    cluster.queue.push(
      ...messagesOfType(cluster.node(1).readies.at(-1)!.messages, 'EndQuorumEpochRequest'),
    );
    cluster.stabilize();
    t.same(cluster.leaders(), [2], 'without a single tick');
    t.equal(cluster.core(2).epoch, 2);
  },
);

t.test(
  'a leader restarted from its own quorum state resigns instead of resuming (KRaft)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.propose(1, 1);
    cluster.crash(1);
    cluster.node(1).restart();
    t.equal(cluster.core(1).role, Role.resigned);
    t.equal(cluster.core(1).epoch, 1);
    const sent = cluster.node(1).drain();
    t.equal(messagesOfType(sent, 'EndQuorumEpochRequest').length, 2, 'it tells the voters at once');
    t.equal(cluster.core(1).propose([value(2)]).ok, false);
  },
);

t.test('a restarted follower comes back following the leader in its quorum state', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  cluster.propose(1, 1);
  cluster.crash(2);
  cluster.core(1).peerDisconnected(2); // as the leader's transport reports it
  cluster.restart(2);
  cluster.stabilize();
  t.equal(cluster.core(2).role, Role.follower);
  t.equal(cluster.core(2).status().leaderId, 1);
  t.equal(
    cluster.core(2).highWatermark,
    cluster.core(1).highWatermark,
    'HW learned at once, no long poll',
  );
});

/** KRaft defaults at a 10 ms tick: election 1 s, fetch timeout 2 s, backoff max 1 s. */
const KRAFT_TICKS = {
  electionTimeoutTicks: 100,
  fetchTimeoutTicks: 200,
  electionBackoffMaxTicks: 100,
  requestTimeoutTicks: 200,
  fetchMaxWaitTicks: 50,
};

function ticksToCommitAfterLeaderDeath(seed: number, notify: boolean): number {
  const cluster = new TestCluster({ voters: [1, 2, 3], seed, config: KRAFT_TICKS });
  cluster.elect(1);
  cluster.tick(5);
  cluster.crash(1);
  if (notify) for (const id of [2, 3]) cluster.core(id).peerDisconnected(1);
  const hw = Math.max(cluster.core(2).highWatermark, cluster.core(3).highWatermark);
  for (let ticks = 1; ticks < 1000; ticks++) {
    cluster.tick(1, [2, 3]);
    const [leader] = cluster.leaders();
    if (leader !== undefined && cluster.core(leader).highWatermark > hw) return ticks;
  }
  return Infinity;
}

t.test(
  'peerDisconnected(leader) fails over far below the fetch timeout (fast failover)',
  async (t) => {
    const fast: number[] = [];
    for (let seed = 1; seed <= 30; seed++) fast.push(ticksToCommitAfterLeaderDeath(seed, true));
    const slow = ticksToCommitAfterLeaderDeath(1, false);
    t.ok(
      Math.max(...fast) <= 20,
      `new leader committed within ${Math.max(...fast)} ticks (10 ms each)`,
    );
    t.ok(
      slow >= KRAFT_TICKS.fetchTimeoutTicks,
      `without the notice: ${slow} ticks (the fetch timeout)`,
    );
  },
);

t.test(
  'a spurious disconnect does not depose a leader that the others still fetch from (KIP-996)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.tick(3);
    cluster.core(2).peerDisconnected(1);
    cluster.tick(3 * TEST_CONFIG.fetchTimeoutTicks);
    t.same(cluster.leaders(), [1]);
    t.equal(cluster.core(1).epoch, 1, 'no epoch bump: the pre-vote failed');
    t.equal(cluster.core(2).role, Role.follower, 'node 2 went back to fetching');
  },
);

t.test(
  'a candidate that learns the leader of its epoch follows it (BeginQuorumEpoch)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    t.equal(cluster.core(2).role, Role.follower);
    t.equal(cluster.node(2).durable.quorum.leaderId, 1, 'the leader is persisted');
    t.equal(cluster.node(3).durable.quorum.leaderId, 1);
  },
);
