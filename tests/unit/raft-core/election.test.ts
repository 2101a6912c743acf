import t from 'tap';
import { EntryKind, RaftError, Role } from '../../../raft/core/types.js';
import type { RaftMessage, VoteRequest } from '../../../raft/core/types.js';
import {
  emptyDurable,
  entry,
  messagesOfType,
  soloCore,
  TEST_CONFIG,
  TestCluster,
} from './harness.js';
import type { TestNode } from './harness.js';

function voteRequest(from: number, to: number, fields: Partial<VoteRequest>): RaftMessage {
  const body: VoteRequest = {
    type: 'VoteRequest',
    epoch: 1,
    candidateId: from,
    lastOffsetEpoch: 0,
    lastOffset: 0,
    preVote: false,
    ...fields,
  };
  return { from, to, body };
}

/** Ticks a lone voter until it sends its pre-votes, and returns them. */
function tickUntilPreVote(node: TestNode): ReturnType<typeof messagesOfType<'VoteRequest'>> {
  for (let i = 0; i < 100; i++) {
    node.core.tick();
    const sent = messagesOfType(node.drain(), 'VoteRequest');
    if (sent.length > 0) return sent;
  }
  throw new Error('no pre-vote');
}

t.test(
  'a single voter elects itself at once and commits its leaderChange entry (KIP-595)',
  async (t) => {
    const node = soloCore(1, [1]);
    t.equal(node.core.role, Role.leader);
    t.equal(node.core.epoch, 1);
    node.drain();
    t.equal(node.core.highWatermark, 1);
    t.equal(node.applied[0]?.kind, EntryKind.leaderChange);
    t.same(node.durable.quorum, { epoch: 1, votedId: 1, leaderId: 1 });
  },
);

t.test(
  'a voter runs only after its election timeout, drawn from [T, 2T) (Raft §5.2)',
  async (t) => {
    const node = soloCore(1, [1, 2, 3]);
    node.drain();
    let ticks = 0;
    while (node.core.role === Role.unattached) {
      node.core.tick();
      ticks += 1;
    }
    t.equal(node.core.role, Role.prospective);
    t.ok(
      ticks >= TEST_CONFIG.electionTimeoutTicks && ticks < 2 * TEST_CONFIG.electionTimeoutTicks,
      `${ticks}`,
    );
  },
);

t.test(
  'an election bumps the epoch by one; the self-vote is persisted in the Ready that sends the requests (Raft §5.1, §5.2)',
  async (t) => {
    const node = soloCore(1, [1, 2, 3]);
    node.drain();
    const preVotes = tickUntilPreVote(node);
    t.same(
      preVotes.map((m) => [m.to, m.body.epoch, m.body.preVote]),
      [
        [2, 0, true],
        [3, 0, true],
      ],
    );
    t.equal(node.durable.quorum.epoch, 0, 'a pre-vote persists nothing');
    node.core.step({
      from: 2,
      to: 1,
      body: {
        type: 'VoteResponse',
        epoch: 0,
        granted: true,
        preVote: true,
        leaderId: -1,
        error: RaftError.none,
      },
    });
    t.equal(node.core.role, Role.candidate);
    const ready = node.begin();
    t.same(ready.quorumState, { epoch: 1, votedId: 1, leaderId: -1 });
    const votes = messagesOfType(ready.messages, 'VoteRequest');
    t.same(
      votes.map((m) => [m.to, m.body.epoch, m.body.preVote]),
      [
        [2, 1, false],
        [3, 1, false],
      ],
    );
  },
);

t.test(
  'a voter grants one vote per epoch and persists it before replying (Raft §5.2)',
  async (t) => {
    const node = soloCore(2, [1, 2, 3]);
    node.drain();
    node.core.step(voteRequest(1, 2, { epoch: 1 }));
    const ready = node.begin();
    t.same(ready.quorumState, { epoch: 1, votedId: 1, leaderId: -1 }, 'the vote is in step 1');
    const [response] = messagesOfType(ready.messages, 'VoteResponse');
    t.equal(response?.body.granted, true, 'and the grant in step 2 of the same Ready');
    node.finish();
    node.core.step(voteRequest(3, 2, { epoch: 1 }));
    t.equal(
      messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
      false,
      'a second candidate is refused',
    );
    node.core.step(voteRequest(1, 2, { epoch: 1 }));
    t.equal(
      messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
      true,
      'a retry of the same is granted',
    );
    node.restart();
    node.drain();
    node.core.step(voteRequest(3, 2, { epoch: 1 }));
    t.equal(
      messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
      false,
      'the vote survives a restart',
    );
  },
);

t.test('a candidate with a shorter log gets no vote (Raft §5.4.1)', async (t) => {
  const durable = { ...emptyDurable(), quorum: { epoch: 1, votedId: -1, leaderId: -1 } };
  durable.entries = [entry(0, 1), entry(1, 1)];
  const node = soloCore(2, [1, 2, 3], durable);
  node.drain();
  node.core.step(voteRequest(1, 2, { epoch: 2, lastOffsetEpoch: 1, lastOffset: 1 }));
  t.equal(messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted, false);
  t.equal(node.core.epoch, 2, 'the newer epoch is still adopted (Raft §5.1)');
  node.core.step(voteRequest(3, 2, { epoch: 2, lastOffsetEpoch: 1, lastOffset: 2 }));
  t.equal(
    messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
    true,
    'an equal log is enough',
  );
});

t.test(
  'a candidate whose last epoch is older gets no vote, however long its log (Raft §5.4.1)',
  async (t) => {
    const durable = { ...emptyDurable(), quorum: { epoch: 2, votedId: -1, leaderId: -1 } };
    durable.entries = [entry(0, 1), entry(1, 2)];
    const node = soloCore(2, [1, 2, 3], durable);
    node.drain();
    node.core.step(voteRequest(1, 2, { epoch: 3, lastOffsetEpoch: 1, lastOffset: 50 }));
    t.equal(messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted, false);
    node.core.step(voteRequest(3, 2, { epoch: 3, lastOffsetEpoch: 3, lastOffset: 1 }));
    t.equal(
      messagesOfType(node.drain(), 'VoteResponse')[0]?.body.granted,
      true,
      'a newer last epoch wins',
    );
  },
);

t.test('a newer epoch in a request makes the leader step down (Raft §5.1)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  const leader = cluster.core(1);
  leader.step(voteRequest(2, 1, { epoch: 7, lastOffsetEpoch: 0, lastOffset: 0 }));
  t.equal(leader.role, Role.unattached);
  t.equal(leader.epoch, 7);
  t.same(
    cluster
      .node(1)
      .drain()
      .filter((m) => m.body.type === 'VoteResponse').length,
    1,
  );
  t.equal(cluster.node(1).durable.quorum.epoch, 7, 'the adopted epoch is persisted');
});

t.test('a request from an older epoch is refused with the current epoch (Raft §5.1)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  cluster.core(1).resign();
  cluster.stabilize();
  t.equal(cluster.core(2).role, Role.leader, 'the preferred successor took over');
  const epoch = cluster.core(2).epoch;
  cluster.core(2).step({
    from: 3,
    to: 2,
    body: {
      type: 'FetchRequest',
      epoch: epoch - 1,
      replicaId: 3,
      fetchOffset: 0,
      lastFetchedEpoch: 0,
      maxBytes: 100,
    },
  });
  const [response] = messagesOfType(cluster.node(2).drain(), 'FetchResponse');
  t.equal(response?.body.error, RaftError.fencedLeaderEpoch);
  t.equal(response?.body.epoch, epoch);
  t.equal(response?.body.leaderId, 2);
});

t.test('a lost election backs off, never longer than electionBackoffMaxTicks', async (t) => {
  const node = soloCore(1, [1, 2, 3]);
  node.drain();
  let requests = tickUntilPreVote(node);
  for (let round = 0; round < 6; round++) {
    for (const request of requests) {
      node.core.step({
        from: request.to,
        to: 1,
        body: {
          type: 'VoteResponse',
          epoch: node.core.epoch,
          granted: false,
          preVote: true,
          leaderId: -1,
          error: RaftError.none,
        },
      });
    }
    node.drain();
    t.equal(node.core.role, Role.prospective, 'still no leader known');
    let waited = 0;
    do {
      node.core.tick();
      waited += 1;
      requests = messagesOfType(node.drain(), 'VoteRequest');
    } while (requests.length === 0);
    t.ok(
      waited >= 1 && waited <= TEST_CONFIG.electionBackoffMaxTicks,
      `round ${round} waited ${waited}`,
    );
  }
  t.equal(node.core.epoch, 0, 'failed pre-votes never bump the epoch (KIP-996)');
});

t.test(
  'competing candidates end with exactly one leader per epoch (Raft §5.2, split votes)',
  async (t) => {
    for (let seed = 1; seed <= 20; seed++) {
      const cluster = new TestCluster({
        voters: [1, 2, 3, 4, 5],
        seed,
        config: { electionTimeoutTicks: 3 },
      });
      const leaderOf = new Map<number, number>();
      for (let tick = 0; tick < 200; tick++) {
        cluster.tick();
        for (const id of cluster.leaders()) {
          const epoch = cluster.core(id).epoch;
          if (leaderOf.get(epoch) !== undefined && leaderOf.get(epoch) !== id)
            t.fail(`two leaders in ${epoch}`);
          leaderOf.set(epoch, id);
        }
      }
      t.equal(cluster.leaders().length, 1, `seed ${seed}: one leader at the end`);
    }
  },
);
