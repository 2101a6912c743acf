import t from 'tap';
import type { LeaderAndEpoch } from '../../../raft/driver/index.js';
import { Role } from '../../../raft/core/types.js';
import { TEST_CONFIG, TestCluster } from '../raft-core/harness.js';

function listen(cluster: TestCluster, id: number): LeaderAndEpoch[] {
  const events: LeaderAndEpoch[] = [];
  cluster.node(id).driver.onLeaderChange((leader) => events.push(leader));
  return events;
}

t.test('listeners hear of an election on the winner and on a follower (handleLeaderChange)',
  async (t) => {
    const cluster = new TestCluster({ voters: [1, 2, 3] });
    const winner = listen(cluster, 1);
    const follower = listen(cluster, 2);
    cluster.elect(1);
    t.match(winner.at(-1), { role: Role.leader, epoch: 1, leaderId: 1 });
    t.match(follower.at(-1), { role: Role.follower, epoch: 1, leaderId: 1 });
    t.same(cluster.node(1).driver.leaderAndEpoch, winner.at(-1), 'the getter agrees');
    const heard = winner.length;
    cluster.tick(5);
    t.equal(winner.length, heard, 'nothing new while nothing changes');
  });

t.test('a resignation and a new election are both heard', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  const events = listen(cluster, 1);
  cluster.node(1).driver.resign();
  cluster.process();
  t.match(events, [{ role: Role.resigned, epoch: 1 }], 'heard at the next pump');
  cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks);
  const last = events.at(-1);
  t.ok(last !== undefined && last.epoch > 1, `a later epoch: ${JSON.stringify(last)}`);
});

t.test('an unsubscribed listener hears nothing more', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  const events: LeaderAndEpoch[] = [];
  const unsubscribe = cluster.node(2).driver.onLeaderChange((leader) => events.push(leader));
  unsubscribe();
  cluster.elect(1);
  t.same(events, []);
});
