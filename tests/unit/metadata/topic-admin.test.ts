import t from 'tap';
import { topicConfigs } from '../../../metadata/index.js';
import { ControllerHarness } from './harness.js';

function cluster(brokers: number): ControllerHarness {
  const h = new ControllerHarness();
  for (let id = 1; id <= brokers; id++) h.addBroker(id);
  return h;
}

t.test('deleteTopics by name or id writes one RemoveTopicRecord each, in one entry', async (t) => {
  const h = cluster(3);
  h.createTopic('a', 2, 2, { 'retention.ms': '5' });
  const b = h.createTopic('b', 1, 1);
  h.createTopic('c', 1, 1);
  const response = h.controller.deleteTopics({ names: ['a'], topicIds: [b.ok ? b.topicId : ''] });
  t.match(response, { ok: true, records: [{ type: 'RemoveTopicRecord' },
    { type: 'RemoveTopicRecord' }] });
  t.match(response.ok && response.reply, [{ name: 'a', ok: true }, { name: 'b', ok: true }]);
  h.commit(response);
  t.same([...h.image.topics.byName.keys()], ['c']);
  t.equal(topicConfigs(h.image, 'a').size, 0, 'its configs are gone');
  h.createTopic('a', 1, 1);
  t.equal(topicConfigs(h.image, 'a').size, 0, 'a new topic of the same name starts without them');
});

t.test('deleting an unknown topic gives UNKNOWN_TOPIC_OR_PARTITION or ' +
  'UNKNOWN_TOPIC_ID', async (t) => {
  const h = cluster(1);
  h.createTopic('x', 1, 1);
  const response = h.controller.deleteTopics({
    names: ['nope', 'x', 'x'], topicIds: ['AAAAAAAAAAAAAAAAAAAAAw'],
  });
  t.match(response.ok && response.reply, [
    { requested: 'nope', ok: false, error: { error: 'UNKNOWN_TOPIC_OR_PARTITION',
      message: 'This server does not host this topic-partition.' } },
    { name: 'x', ok: true },
    { requested: 'x', ok: false, error: { error: 'INVALID_REQUEST' } },
    { requested: 'AAAAAAAAAAAAAAAAAAAAAw', ok: false, error: { error: 'UNKNOWN_TOPIC_ID',
      message: 'This server does not host this topic ID.' } },
  ]);
});

t.test('a deletion still pending hides the topic from the next request', async (t) => {
  const h = cluster(1);
  h.createTopic('x', 1, 1);
  const first = h.controller.deleteTopics({ names: ['x'] });
  const second = h.controller.deleteTopics({ names: ['x'] });
  t.match(second.ok && second.reply, [{ ok: false,
    error: { error: 'UNKNOWN_TOPIC_OR_PARTITION' } }]);
  h.commit(first);
  t.notOk(h.image.topics.byName.has('x'));
});

t.test('createPartitions grows a topic and continues its even placement', async (t) => {
  const h = cluster(3);
  h.createTopic('grow', 3, 2);
  const response = h.controller.createPartitions([{ name: 'grow', count: 6 }]);
  t.match(response, { ok: true, reply: [{ name: 'grow', ok: true }] });
  t.same(response.ok && response.records.map((r) => r.type), new Array(3).fill('PartitionRecord'));
  h.commit(response);
  const partitions = h.topic('grow').partitions;
  t.equal(partitions.length, 6);
  const leads = new Map<number, number>();
  for (const p of partitions) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
  t.same([...leads.values()].sort(), [2, 2, 2], 'each broker leads two of six');
  for (const p of partitions) t.equal(p.replicas.length, 2, 'keeps the replication factor');
});

t.test('createPartitions refuses shrinking, no-ops and unknown topics with Kafka\'s ' +
  'messages', async (t) => {
  const h = cluster(3);
  h.createTopic('t', 3, 1);
  const outcome = (count: number, name = 't', assignments?: number[][]) => {
    const response = h.controller.createPartitions([{ name, count,
      ...(assignments ? { assignments } : {}) }]);
    const result = response.ok ? response.reply[0]! : undefined;
    return result === undefined ||
      result.ok ? 'ok' : `${result.error.error}: ${result.error.message}`;
  };
  t.equal(outcome(2), 'INVALID_PARTITIONS: Topic currently has 3 partitions, which is higher ' +
    'than the requested 2.');
  t.equal(outcome(3), 'INVALID_PARTITIONS: Topic already has 3 partition(s).');
  t.equal(outcome(4, 'missing'), 'UNKNOWN_TOPIC_OR_PARTITION: This server does not host this ' +
    'topic-partition.');
  t.equal(outcome(5, 't', [[1]]), 'INVALID_REPLICA_ASSIGNMENT: Attempted to add 2 additional ' +
    'partition(s), but only 1 assignment(s) were specified.');
  t.equal(outcome(4, 't', [[1, 2]]), 'INVALID_REPLICA_ASSIGNMENT: The manual partition ' +
    'assignment ' +
    'includes a partition with 2 replica(s), but this is not consistent with previous ' +
      'partitions, ' +
    'which have 1 replica(s).');
  t.equal(outcome(4, 't', [[3]]), 'ok');
  t.match(h.controller.createPartitions([{ name: 't', count: 20_000 }]),
    { ok: false, error: { error: 'POLICY_VIOLATION' } });
});

t.test('createPartitions with validateOnly writes nothing', async (t) => {
  const h = cluster(1);
  h.createTopic('t', 1, 1);
  t.match(h.controller.createPartitions([{ name: 't', count: 2 }], true), { ok: true,
    records: [] });
});
