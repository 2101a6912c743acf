import t from 'tap';
import type { AlterPartitionRequest } from '../../../metadata/index.js';
import { ControllerHarness } from './harness.js';

/** Three unfenced brokers and `t-0` with replicas on all three. */
function setup() {
  const h = new ControllerHarness();
  for (const id of [1, 2, 3]) h.addBroker(id);
  h.createTopic('t', 1, 3);
  const topic = h.topic('t');
  const p = topic.partitions[0]!;
  const request: AlterPartitionRequest = {
    brokerId: p.leader,
    brokerEpoch: h.image.cluster.brokers.get(p.leader)!.brokerEpoch,
    topicId: topic.topicId,
    partitionId: 0,
    leaderEpoch: p.leaderEpoch,
    partitionEpoch: p.partitionEpoch,
    newIsr: [p.leader],
  };
  const followers = p.replicas.filter((r) => r !== p.leader);
  return { h, request, leader: p.leader, followers };
}

function errorOf(h: ControllerHarness, request: AlterPartitionRequest): string {
  const response = h.controller.alterPartition(request);
  return response.ok ? 'ok' : response.error.error;
}

t.test('alterPartition shrinks and expands the ISR, bumping only the partition ' +
  'epoch', async (t) => {
  const { h, request, leader, followers } = setup();
  const shrink = h.commit(h.controller.alterPartition(request));
  t.same(shrink, { leader, leaderEpoch: 0, partitionEpoch: 1, isr: [leader] });
  t.same(h.topic('t').partitions[0]!.isr, [leader]);
  const expand = h.commit(h.controller.alterPartition({
    ...request, partitionEpoch: 1, newIsr: [leader, ...followers],
  }));
  t.same(expand, { leader, leaderEpoch: 0, partitionEpoch: 2, isr: [leader, ...followers] });
});

t.test('an unchanged ISR writes nothing and replies with the current state', async (t) => {
  const { h, request, leader, followers } = setup();
  const response = h.controller.alterPartition({ ...request, newIsr: [leader, ...followers] });
  t.match(response, { ok: true, records: [], reply: { partitionEpoch: 0 } });
});

t.test('stale epochs are refused: FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, ' +
  'STALE_BROKER_EPOCH', async (t) => {
  const { h, request } = setup();
  h.commit(h.controller.alterPartition(request));
  const newIsr = request.newIsr;
  t.equal(errorOf(h, { ...request, newIsr }), 'INVALID_UPDATE_VERSION', 'partition epoch 0 < 1');
  t.equal(errorOf(h, { ...request, partitionEpoch: 2 }), 'NOT_CONTROLLER', 'an epoch from the ' +
    'future');
  t.equal(errorOf(h, { ...request, brokerEpoch: request.brokerEpoch + 100 }), 'STALE_BROKER_EPOCH');
});

t.test('after a leader change the old leader is refused, and the new one needs the new ' +
  'epoch', async (t) => {
  const { h, request } = setup();
  h.heartbeat(request.brokerId, request.brokerEpoch, 0, { fence: true });
  const p = h.topic('t').partitions[0]!;
  t.equal(p.leaderEpoch, 1, 'fencing the leader moved leadership');
  const newLeader = {
    ...request, brokerId: p.leader, brokerEpoch: h.image.cluster.brokers.get(p.leader)!.brokerEpoch,
    partitionEpoch: p.partitionEpoch, newIsr: [p.leader],
  };
  t.equal(errorOf(h, newLeader), 'FENCED_LEADER_EPOCH', 'leader epoch 0 < 1');
  t.equal(errorOf(h, { ...newLeader, leaderEpoch: 1 }), 'ok');
  t.equal(errorOf(h, { ...request, leaderEpoch: 1, partitionEpoch: p.partitionEpoch }),
    'INVALID_REQUEST',
    'the old leader is not the leader');
});

t.test('a new ISR must be replicas, include the leader, and hold only eligible ' +
  'brokers', async (t) => {
  const { h, request, leader, followers } = setup();
  t.equal(errorOf(h, { ...request, newIsr: [leader, 9] }), 'INVALID_REQUEST', 'not a replica');
  t.equal(errorOf(h, { ...request, newIsr: [leader, leader] }), 'INVALID_REQUEST', 'duplicate');
  t.equal(errorOf(h, { ...request, newIsr: followers }), 'INVALID_REQUEST', 'without the leader');
  t.equal(errorOf(h, { ...request, newIsr: [] }), 'INVALID_REQUEST', 'empty');
  const follower = followers[0]!;
  h.commit(h.controller.alterPartition(request));
  h.heartbeat(follower, h.image.cluster.brokers.get(follower)!.brokerEpoch, 0, { fence: true });
  const response = h.controller.alterPartition({ ...request, partitionEpoch: 1, newIsr: [leader,
    follower] });
  t.match(response, { ok: false, error: { error: 'INELIGIBLE_REPLICA' } }, 'a fenced broker ' +
    'cannot rejoin');
});

t.test('unknown topics and partitions are refused', async (t) => {
  const { h, request } = setup();
  t.equal(errorOf(h, { ...request, topicId: 'ZZZZZZZZZZZZZZZZZZZZZw' }), 'UNKNOWN_TOPIC_ID');
  t.equal(errorOf(h, { ...request, partitionId: 5 }), 'UNKNOWN_TOPIC_OR_PARTITION');
});
