import t from 'tap';
import { Role } from '../../../raft/core/types.js';
import type { RaftMessage } from '../../../raft/core/types.js';
import {
  emptyDurable,
  entry,
  messagesOfType,
  soloCore,
  TEST_CONFIG,
  TestCluster,
} from './harness.js';

function preVote(
  from: number,
  to: number,
  epoch: number,
  lastOffsetEpoch: number,
  lastOffset: number,
): RaftMessage {
  return {
    from,
    to,
    body: {
      type: 'VoteRequest',
      epoch,
      candidateId: from,
      lastOffsetEpoch,
      lastOffset,
      preVote: true,
    },
  };
}

t.test('a pre-vote changes neither epoch nor vote on the voter (KIP-996)', async (t) => {
  const node = soloCore(2, [1, 2, 3]);
  node.drain();
  node.core.step(preVote(1, 2, 5, 0, 0));
  const ready = node.begin();
  t.equal(ready.quorumState, undefined, 'nothing to persist');
  const [response] = messagesOfType(ready.messages, 'VoteResponse');
  t.equal(response?.body.granted, true);
  t.equal(response?.body.preVote, true);
  t.equal(node.core.epoch, 0, 'a pre-vote from a higher epoch is not adopted');
  t.equal(node.core.quorumState.votedId, -1);
});

t.test('a voter with a longer log refuses a pre-vote (KIP-996, Raft §5.4.1)', async (t) => {
  const durable = { ...emptyDurable(), quorum: { epoch: 1, votedId: -1, leaderId: -1 } };
  durable.entries = [entry(0, 1), entry(1, 1), entry(2, 1)];
  const node = soloCore(2, [1, 2, 3], durable);
  node.drain();
  node.core.step(preVote(3, 2, 1, 1, 2));
  t.equal(
    messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
    false,
    'lagging candidate',
  );
  node.core.step(preVote(3, 2, 1, 1, 3));
  t.equal(
    messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
    true,
    'caught-up candidate',
  );
});

t.test(
  'a follower that fetched from its leader recently refuses a pre-vote (KIP-996)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    cluster.tick(2);
    const follower = cluster.node(2);
    const upToDate = (): RaftMessage =>
      preVote(3, 2, follower.core.epoch, follower.core.epoch, follower.core.logEndOffset);
    follower.core.step(upToDate());
    t.equal(
      messagesOfType(follower.drain(), 'VoteResponse')[0]?.body.granted,
      false,
      'the leader is alive',
    );
    cluster.leaders().forEach((id) => t.equal(id, 1));
    // Once it has not heard from the leader for a whole fetch timeout, it grants.
    cluster.crash(1);
    cluster.tick(TEST_CONFIG.fetchTimeoutTicks - 1, [3]);
    for (let i = 0; i < TEST_CONFIG.fetchTimeoutTicks; i++) follower.core.tick();
    follower.drain();
    follower.core.step(upToDate());
    t.equal(
      messagesOfType(follower.drain(), 'VoteResponse')[0]?.body.granted,
      true,
      'the leader is gone',
    );
  },
);

t.test('a leader refuses pre-votes (KIP-996)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  const leader = cluster.node(1);
  leader.core.step(
    preVote(2, 1, leader.core.epoch, leader.core.epoch, leader.core.logEndOffset + 5),
  );
  t.equal(messagesOfType(leader.drain(), 'VoteResponse')[0]?.body.granted, false);
  t.equal(leader.core.role, Role.leader);
});

t.test(
  'a partitioned voter does not inflate epochs and does not disturb the leader on return (KIP-996)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    cluster.elect(1);
    const epoch = cluster.core(1).epoch;
    cluster.isolate(3);
    for (let i = 0; i < 10; i++) cluster.propose(1, i);
    cluster.tick(10 * TEST_CONFIG.fetchTimeoutTicks);
    t.equal(cluster.core(3).epoch, epoch, 'pre-votes failed, so no epoch was bumped');
    t.not(cluster.core(3).role, Role.leader);
    cluster.heal();
    cluster.tick(3 * TEST_CONFIG.fetchTimeoutTicks);
    t.same(cluster.leaders(), [1], 'the leader stayed');
    t.equal(cluster.core(1).epoch, epoch);
    t.equal(cluster.core(3).role, Role.follower, 'the voter rejoined as a follower');
    t.equal(cluster.core(3).highWatermark, cluster.core(1).highWatermark, 'and caught up');
  },
);

t.test(
  'a lagging voter that returns gets no pre-vote and cannot disturb the leader (KIP-996)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3, 4, 5] });
    cluster.elect(1);
    cluster.isolate(5);
    for (let i = 0; i < 5; i++) cluster.propose(1, i);
    cluster.crash(1);
    cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks, [2, 3, 4]);
    const [leader] = cluster.leaders();
    t.ok(leader !== undefined && leader !== 5, `a caught-up voter took over (${leader})`);
    const epoch = cluster.core(leader!).epoch;
    cluster.heal();
    // Node 5 has been timing out alone; now it asks the others, whose logs are longer.
    cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks, [2, 3, 4, 5]);
    t.same(cluster.leaders(), [leader], 'no disruption');
    t.equal(cluster.core(leader!).epoch, epoch);
  },
);
