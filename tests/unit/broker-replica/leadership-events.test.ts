/**
 * Per-partition leadership events (what the coordinators will load and unload on): they fire
 * exactly when a role changes from the metadata deltas, never for an ISR change under the same
 * leader epoch, and on stop or delete; a late listener first hears the current roles.
 */
import t from 'tap';
import type { PartitionLeadershipListener } from '../../../broker/replica/index.js';
import { FakeCluster, tempDir } from './fixtures/harness.js';

function recorder(events: string[]): PartitionLeadershipListener {
  return {
    becameLeader: (tp, epoch) => events.push(`leader ${tp.topicName}-${tp.partitionId} e${epoch}`),
    becameFollower: (tp, epoch, leaderId) =>
      events.push(`follower ${tp.topicName}-${tp.partitionId} e${epoch} of ${leaderId}`),
    stopped: (tp, deleted) =>
      events.push(`stopped ${tp.topicName}-${tp.partitionId}${deleted ? ' deleted' : ''}`),
  };
}

async function setUp(t: { teardown(fn: () => unknown): void }) {
  const cluster = new FakeCluster();
  for (const id of [1, 2, 3]) cluster.registerBroker(id);
  const manager = await cluster.startManager(1, tempDir(t));
  t.teardown(() => manager.close());
  return { cluster, manager };
}

t.test('role changes from metadata fire becameLeader and becameFollower, ISR changes do not',
  async (t) => {
    const { cluster, manager } = await setUp(t);
    const events: string[] = [];
    manager.onPartitionLeadership(recorder(events));
    t.same(events, [], 'nothing hosted yet');
    const topicId = cluster.createTopic('orders', [[1, 2], [2, 1]]);
    t.same(events, ['leader orders-0 e0', 'follower orders-1 e0 of 2']);

    events.length = 0;
    cluster.commit([{ type: 'PartitionChangeRecord', topicId, partitionId: 0, leader: -2,
      isr: [1] }]);
    cluster.commit([{ type: 'PartitionChangeRecord', topicId, partitionId: 1, leader: -2,
      isr: [2] }]);
    t.equal(manager.partition('orders', 0)?.partitionEpoch, 1, 'the ISR change was applied');
    t.same(events, [], 'a new ISR under the same leader epoch is no role change');

    cluster.electLeader(topicId, 0, 2, [2, 1]);
    cluster.electLeader(topicId, 1, 1, [1, 2]);
    t.same(events, ['follower orders-0 e1 of 2', 'leader orders-1 e1']);

    events.length = 0;
    cluster.electLeader(topicId, 0, -1, [2]);
    t.same(events, ['follower orders-0 e2 of -1'], 'a follower with no leader is told so');
  });

t.test('a deleted topic or a replica moved away fires stopped; a late listener hears the roles',
  async (t) => {
    const { cluster, manager } = await setUp(t);
    const topicId = cluster.createTopic('orders', [[1, 2], [2, 1]]);
    const events: string[] = [];
    const remove = manager.onPartitionLeadership(recorder(events));
    t.same(events, ['leader orders-0 e0', 'follower orders-1 e0 of 2'], 'the current roles');

    events.length = 0;
    cluster.commit([{ type: 'PartitionChangeRecord', topicId, partitionId: 1, leader: -2,
      replicas: [2, 3], isr: [2, 3] }]);
    t.same(events, ['stopped orders-1 deleted'], 'moved away: the replica and its log go');
    t.equal(manager.partition('orders', 1), undefined);

    events.length = 0;
    cluster.deleteTopic(topicId);
    t.same(events, ['stopped orders-0 deleted']);

    remove();
    cluster.createTopic('orders', [[1]], { generation: 1 });
    t.same(events, ['stopped orders-0 deleted'], 'a removed listener hears nothing more');
    t.equal(manager.partition('orders', 0)?.role, 'leader', 'the re-created topic is led');
  });

t.test('a listener that throws is logged; the others and the role change still happen',
  async (t) => {
    const { cluster, manager } = await setUp(t);
    const events: string[] = [];
    manager.onPartitionLeadership({ becameLeader: () => { throw new Error('listener bug'); } });
    manager.onPartitionLeadership(recorder(events));
    cluster.createTopic('orders', [[1]]);
    t.same(events, ['leader orders-0 e0']);
    t.equal(manager.partition('orders', 0)?.role, 'leader');
    t.ok(cluster.logLines.some((line) =>
      line.endsWith('A leadership listener failed on orders-0: listener bug')), 'logged');
  });
