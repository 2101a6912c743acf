import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import {
  ConfigResourceType, decodeImage, EMPTY_IMAGE, encodeImage, imageHash, imageToRecords,
  loadSnapshot, MetadataDelta, NO_LEADER_CHANGE, topicConfigs, type MetadataImage,
  type MetadataRecord,
} from '../../../metadata/index.js';

const A = 'AAAAAAAAAAAAAAAAAAAAAg';
const B = 'BBBBBBBBBBBBBBBBBBBBBg';

function broker(brokerId: number, brokerEpoch: number, fenced = false): MetadataRecord {
  return {
    type: 'RegisterBrokerRecord', brokerId, incarnationId: `inc${brokerId}`.padEnd(22, 'x'),
    brokerEpoch, endPoints: [], rack: null, fenced, inControlledShutdown: false, logDirs: [],
  };
}

function partition(topicId: string, partitionId: number, replicas: number[],
  leader = replicas[0]!): MetadataRecord {
  return {
    type: 'PartitionRecord', partitionId, topicId, replicas, isr: replicas, removingReplicas: [],
    addingReplicas: [], leader, leaderEpoch: 0, partitionEpoch: 0,
  };
}

function apply(image: MetadataImage, records: readonly MetadataRecord[],
  offset: number): MetadataImage {
  const delta = new MetadataDelta(image);
  delta.replayAll(records);
  delta.advanceTo(offset, 1);
  return delta.apply();
}

const BASE: MetadataRecord[] = [
  { type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: 21 },
  broker(1, 0), broker(2, 1), broker(3, 2),
  { type: 'TopicRecord', name: 'orders', topicId: A },
  { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'retention.ms',
    value: '1000' },
  partition(A, 0, [1, 2, 3]), partition(A, 1, [2, 3, 1]),
  { type: 'TopicRecord', name: 'payments', topicId: B },
  partition(B, 0, [3, 1]),
];

t.test('applying records builds topics by name and id, partitions, configs and ' +
  'features', async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  t.equal(image.topics.byName.get('orders')?.topicId, A);
  t.equal(image.topics.byId.get(B)?.name, 'payments');
  t.same(image.topics.byId.get(A)?.partitions.map((p) => p.leader), [1, 2]);
  t.same([...topicConfigs(image, 'orders')], [['retention.ms', '1000']]);
  t.equal(image.features.get('metadata.version'), 21);
  t.equal(image.cluster.brokers.size, 3);
  t.same(image.provenance, { offset: 0, epoch: 1 });
  t.equal(EMPTY_IMAGE.topics.byName.size, 0, 'the previous image is unchanged');
});

t.test('a partition change bumps the partition epoch, and the leader epoch when the leader is ' +
  'set', async (t) => {
  const base = apply(EMPTY_IMAGE, BASE, 0);
  let image = apply(base, [{ type: 'PartitionChangeRecord', topicId: A, partitionId: 0,
    leader: NO_LEADER_CHANGE, isr: [1, 2] }], 1);
  let p = image.topics.byId.get(A)!.partitions[0]!;
  t.same([p.leader, p.leaderEpoch, p.partitionEpoch, p.isr], [1, 0, 1, [1, 2]]);
  image = apply(image, [{ type: 'PartitionChangeRecord', topicId: A, partitionId: 0, leader: 2 }],
    2);
  p = image.topics.byId.get(A)!.partitions[0]!;
  t.same([p.leader, p.leaderEpoch, p.partitionEpoch], [2, 1, 2]);
  t.equal(image.topics.byId.get(A)!.partitions[1], base.topics.byId.get(A)!.partitions[1],
    'untouched partitions are shared, not copied');
  t.equal(image.topics.byId.get(B), base.topics.byId.get(B), 'untouched topics are shared');
  t.equal(base.topics.byId.get(A)!.partitions[0]!.partitionEpoch, 0, 'the old image is unchanged');
});

t.test('records that break an invariant fail an assert (leader outside the ISR, unknown topic, ' +
  'gaps)', async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  const change = (leader: number, isr?: number[]): MetadataRecord[] =>
    [{ type: 'PartitionChangeRecord', topicId: A, partitionId: 0, leader,
      ...(isr ? { isr } : {}) }];
  t.throws(() => apply(image, change(NO_LEADER_CHANGE, [2, 3]), 1), AssertionFailure, 'leader 1 ' +
    'left the ISR');
  t.throws(() => apply(image, change(4), 1), AssertionFailure, 'leader not in ISR');
  t.throws(() => apply(image, change(1, [1, 4]), 1), AssertionFailure, 'ISR outside replicas');
  t.throws(() => apply(image, [partition('CCCCCCCCCCCCCCCCCCCCCg', 0, [1])], 1), AssertionFailure,
    'unknown topic');
  t.throws(() => apply(image, [partition(A, 3, [1])], 1), AssertionFailure, 'partition id gap');
  t.throws(() => apply(image, [{ type: 'TopicRecord', name: 'orders',
    topicId: 'DDDDDDDDDDDDDDDDDDDDDg' }], 1),
    AssertionFailure, 'duplicate name');
  t.throws(() => apply(image, [{ type: 'UnregisterBrokerRecord', brokerId: 1, brokerEpoch: 7 }], 1),
    AssertionFailure, 'stale broker epoch');
  t.throws(() => apply(image, [broker(4, 9)], 0), AssertionFailure, 'offset going backwards');
});

t.test('removing a topic drops its partitions and configs; its name can be taken again in the ' +
  'same delta', async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  const next = apply(image, [
    { type: 'RemoveTopicRecord', topicId: A },
    { type: 'TopicRecord', name: 'orders', topicId: 'EEEEEEEEEEEEEEEEEEEEEg' },
    partition('EEEEEEEEEEEEEEEEEEEEEg', 0, [1]),
  ], 1);
  t.equal(next.topics.byId.get(A), undefined);
  t.equal(next.topics.byName.get('orders')?.topicId, 'EEEEEEEEEEEEEEEEEEEEEg');
  t.equal(topicConfigs(next, 'orders').size, 0, 'configs went with the old topic');
  t.equal(next.configs.resources.size, 0);
});

t.test('localChanges tells a broker what it leads, follows and must delete', async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  const delta = new MetadataDelta(image);
  delta.replayAll([
    { type: 'PartitionChangeRecord', topicId: A, partitionId: 0, leader: 3 },
    { type: 'PartitionChangeRecord', topicId: A, partitionId: 1, leader: 3, isr: [3, 2],
      replicas: [3, 2] },
    { type: 'RemoveTopicRecord', topicId: B },
  ]);
  const three = delta.localChanges(3);
  t.same(three.leaders.map((p) => `${p.topicName}-${p.partitionId}`), ['orders-0', 'orders-1']);
  t.same(three.deletes, [{ topicName: 'payments', topicId: B, partitionId: 0,
    topicDeleted: true }]);
  const one = delta.localChanges(1);
  t.same(one.followers.map((p) => `${p.topicName}-${p.partitionId}`), ['orders-0']);
  t.same(one.deletes.map((d) => `${d.topicName}-${d.partitionId}:${d.topicDeleted}`),
    ['payments-0:true', 'orders-1:false'], 'reassigned away from orders-1');
  t.same(delta.localChanges(2).leaders, [], 'broker 2 leads nothing that changed');
});

t.test('a snapshot is the image as records: loading it gives the same image hash', async (t) => {
  let image = apply(EMPTY_IMAGE, BASE, 0);
  image = apply(image, [
    { type: 'PartitionChangeRecord', topicId: A, partitionId: 0, leader: 2, isr: [2, 3] },
    { type: 'ProducerIdsRecord', brokerId: 1, brokerEpoch: 0, nextProducerId: 1000 },
    { type: 'BrokerRegistrationChangeRecord', brokerId: 2, brokerEpoch: 1, fenced: 0,
      inControlledShutdown: 1 },
  ], 1);
  const loaded = loadSnapshot(EMPTY_IMAGE, encodeImage(image), { offset: 1, epoch: 1 });
  if (!loaded.ok) throw new Error(loaded.error);
  t.equal(imageHash(loaded.image), imageHash(image));
  t.same(imageToRecords(loaded.image), imageToRecords(image));
  t.same(loaded.image.provenance, { offset: 1, epoch: 1 });
  t.equal(loaded.image.topics.byId.get(A)!.partitions[0]!.leaderEpoch, 1, 'epochs survive');
  t.equal(loaded.image.cluster.brokers.get(2)!.inControlledShutdown, true);
});

t.test('loading a snapshot over an image reports what disappeared', async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  const smaller = apply(image, [{ type: 'RemoveTopicRecord', topicId: B }], 1);
  const loaded = loadSnapshot(image, encodeImage(smaller), { offset: 1, epoch: 1 });
  if (!loaded.ok) throw new Error(loaded.error);
  t.equal(imageHash(loaded.image), imageHash(smaller));
  t.same(loaded.delta.localChanges(3).deletes.map((d) => d.topicName), ['payments']);
  t.same(loaded.delta.localChanges(3).leaders, [], 'unchanged partitions are reported as ' +
    'followers or leaders');
  t.equal(loaded.delta.localChanges(1).leaders.length, 1, 'orders-0 is re-announced to its leader');
});

t.test('the image hash does not depend on the order maps were built in', async (t) => {
  const reordered = [BASE[0]!, BASE[3]!, BASE[2]!, BASE[1]!, ...BASE.slice(8), ...BASE.slice(4, 8)];
  t.equal(imageHash(apply(EMPTY_IMAGE, reordered, 0)), imageHash(apply(EMPTY_IMAGE, BASE, 0)));
  const other = apply(EMPTY_IMAGE, [...BASE, { type: 'ConfigRecord',
    resourceType: ConfigResourceType.topic,
    resourceName: 'payments', name: 'cleanup.policy', value: 'compact' }], 0);
  t.not(imageHash(other), imageHash(apply(EMPTY_IMAGE, BASE, 0)), 'a config change changes the ' +
    'hash');
});

t.test('feature level 0 removes a feature; config value null removes an entry', async (t) => {
  const image = apply(EMPTY_IMAGE, [
    ...BASE,
    { type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: 0 },
    { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'retention.ms',
      value: null },
  ], 0);
  t.equal(image.features.size, 0);
  t.equal(image.configs.resources.size, 0);
});

t.test('changedBrokers lists registrations, state changes and unregistrations (null)',
  async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  const delta = new MetadataDelta(image);
  t.equal(delta.changedBrokers.size, 0);
  delta.replayAll([
    { type: 'BrokerRegistrationChangeRecord', brokerId: 1, brokerEpoch: 0, fenced: 1,
      inControlledShutdown: 0 },
    { type: 'UnregisterBrokerRecord', brokerId: 2, brokerEpoch: 1 },
    broker(4, 5),
  ]);
  t.same([...delta.changedBrokers.keys()], [1, 2, 4]);
  t.equal(delta.changedBrokers.get(1)?.fenced, true);
  t.equal(delta.changedBrokers.get(2), null);
});

t.test('decodeImage rebuilds an image from snapshot bytes and reports corruption', async (t) => {
  const image = apply(EMPTY_IMAGE, BASE, 0);
  const decoded = decodeImage(encodeImage(image), { offset: 0, epoch: 1 });
  t.ok(decoded.ok && imageHash(decoded.image) === imageHash(image));
  t.match(decodeImage(Uint8Array.from([0x91, 0x01]), { offset: 0, epoch: 1 }),
    { ok: false, error: /not a record frame/ });
});
