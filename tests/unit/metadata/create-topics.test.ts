import t from 'tap';
import { topicConfigs, type CreatableTopic,
  type CreateTopicResult } from '../../../metadata/index.js';
import { ControllerHarness } from './harness.js';

function cluster(brokers: number, config = {}): ControllerHarness {
  const h = new ControllerHarness({ config });
  for (let id = 1; id <= brokers; id++) h.addBroker(id);
  return h;
}

function createOne(h: ControllerHarness,
  topic: Partial<CreatableTopic> & { name: string }): CreateTopicResult {
  const response = h.controller.createTopics([{ numPartitions: 1, replicationFactor: 1,
    ...topic }]);
  if (!response.ok) throw new Error(response.error.message);
  h.commitWrite(response);
  return response.reply[0]!;
}

function errorOf(h: ControllerHarness, topic: Partial<CreatableTopic> & { name: string }) {
  const result = createOne(h, topic);
  return result.ok ? 'created' : `${result.error.error}: ${result.error.message}`;
}

t.test('createTopics writes TopicRecord, ConfigRecords, PartitionRecords as one entry ' +
  '(KIP-631)', async (t) => {
  const h = cluster(3);
  const response = h.controller.createTopics([
    { name: 'orders', numPartitions: 3, replicationFactor: 2, configs: { 'retention.ms': '1000' } },
  ]);
  if (!response.ok) throw new Error('refused');
  t.same(response.records.map((r) => r.type),
    ['TopicRecord', 'ConfigRecord', 'PartitionRecord', 'PartitionRecord', 'PartitionRecord']);
  h.commitWrite(response);
  const result = response.reply[0]!;
  t.ok(result.ok && /^[A-Za-z0-9_-]{22}$/.test(result.topicId), 'a 22-character Kafka Uuid');
  t.match(result, { ok: true, numPartitions: 3, replicationFactor: 2 });
  const topic = h.topic('orders');
  for (const p of topic.partitions) {
    t.equal(p.replicas.length, 2);
    t.same(p.isr, p.replicas, 'ISR = replicas');
    t.equal(p.leader, p.replicas[0], 'leader = first replica');
    t.same([p.leaderEpoch, p.partitionEpoch], [0, 0]);
  }
  t.same([...topicConfigs(h.image, 'orders')], [['retention.ms', '1000']]);
});

t.test('-1 takes num.partitions and default.replication.factor', async (t) => {
  const h = cluster(3, { defaultNumPartitions: 4, defaultReplicationFactor: 3 });
  const result = createOne(h, { name: 'defaults', numPartitions: -1, replicationFactor: -1 });
  t.match(result, { ok: true, numPartitions: 4, replicationFactor: 3 });
});

t.test('topic names follow Kafka\'s rules and messages (Topic.validate)', async (t) => {
  const h = cluster(1);
  t.equal(errorOf(h, { name: '' }), 'INVALID_TOPIC_EXCEPTION: Topic name is illegal, it can\'t ' +
    'be empty');
  t.equal(errorOf(h, { name: '.' }), 'INVALID_TOPIC_EXCEPTION: Topic name cannot be "." or ".."');
  t.equal(errorOf(h, { name: '..' }), 'INVALID_TOPIC_EXCEPTION: Topic name cannot be "." or ".."');
  const long = 'x'.repeat(250);
  t.equal(errorOf(h, { name: long }), 'INVALID_TOPIC_EXCEPTION: Topic name is illegal, it ' +
    'can\'t be ' +
    `longer than 249 characters, Topic name: ${long}`);
  t.equal(errorOf(h, { name: 'x'.repeat(249) }), 'created', '249 characters is fine');
  t.equal(errorOf(h, { name: 'bad name!' }), 'INVALID_TOPIC_EXCEPTION: Topic name "bad name!" is ' +
    'illegal, it contains a character other than ASCII alphanumerics, \'.\', \'_\' and \'-\'');
  t.equal(errorOf(h, { name: 'Ok.name_with-all' }), 'created');
});

t.test('a name that collides with an existing one in metric names is refused', async (t) => {
  const h = cluster(1);
  t.equal(errorOf(h, { name: 'metrics.a' }), 'created');
  t.equal(errorOf(h, { name: 'metrics_a' }),
    'INVALID_TOPIC_EXCEPTION: Topic \'metrics_a\' collides with existing topics: metrics.a');
});

t.test('an existing topic gives TOPIC_ALREADY_EXISTS, also while its creation is ' +
  'uncommitted', async (t) => {
  const h = cluster(1);
  t.equal(errorOf(h, { name: 'orders' }), 'created');
  t.equal(errorOf(h, { name: 'orders' }), 'TOPIC_ALREADY_EXISTS: Topic \'orders\' already exists.');
  const first = h.controller.createTopics([{ name: 'inflight', numPartitions: 1,
    replicationFactor: 1 }]);
  const second = h.controller.createTopics([{ name: 'inflight', numPartitions: 1,
    replicationFactor: 1 }]);
  t.match(first, { ok: true, reply: [{ ok: true }] });
  t.match(second, { ok: true, records: [], reply: [{ ok: false,
    error: { error: 'TOPIC_ALREADY_EXISTS' } }] });
  if (first.ok) h.commitWrite(first);
  t.ok(h.image.topics.byName.has('inflight'));
});

t.test('duplicate names in one request are refused, the rest of the request ' +
  'proceeds', async (t) => {
  const h = cluster(1);
  const response = h.controller.createTopics([
    { name: 'a', numPartitions: 1, replicationFactor: 1 },
    { name: 'b', numPartitions: 1, replicationFactor: 1 },
    { name: 'a', numPartitions: 1, replicationFactor: 1 },
  ]);
  t.match(response, {
    ok: true,
    reply: [
      { name: 'a', ok: false, error: { error: 'INVALID_REQUEST',
        message: 'Duplicate topic name.' } },
      { name: 'b', ok: true },
      { name: 'a', ok: false },
    ],
  });
});

t.test('partitions and replication factor must be positive or -1', async (t) => {
  const h = cluster(3);
  for (const numPartitions of [0, -2]) {
    t.equal(errorOf(h, { name: 'p', numPartitions }),
      'INVALID_PARTITIONS: Number of partitions was set to an invalid non-positive value.');
  }
  for (const replicationFactor of [0, -2]) {
    t.equal(errorOf(h, { name: 'r', replicationFactor }), 'INVALID_REPLICATION_FACTOR: ' +
      'Replication factor must be larger than 0, or -1 to use the default value.');
  }
});

t.test('a replication factor above the unfenced brokers is refused with Kafka\'s ' +
  'message', async (t) => {
  const h = cluster(3);
  t.equal(errorOf(h, { name: 'big', numPartitions: 1, replicationFactor: 4 }),
    'INVALID_REPLICATION_FACTOR: Unable to replicate the partition 4 time(s): The target ' +
    'replication factor of 4 cannot be reached because only 3 broker(s) are registered.');
  const empty = new ControllerHarness();
  t.equal(errorOf(empty, { name: 'none' }),
    'INVALID_REPLICATION_FACTOR: Unable to replicate the partition 1 time(s): All brokers are ' +
    'currently fenced.');
});

t.test('one request may not add more than 10000 partitions (POLICY_VIOLATION)', async (t) => {
  const h = cluster(1);
  const response = h.controller.createTopics([
    { name: 'a', numPartitions: 5000, replicationFactor: 1 },
    { name: 'b', numPartitions: 5001, replicationFactor: 1 },
  ]);
  t.match(response, {
    ok: false,
    error: { error: 'POLICY_VIOLATION', message: 'Excessively large number of partitions per ' +
      'request.' },
  });
});

t.test('topic configs are checked for names, types and ranges (INVALID_CONFIG)', async (t) => {
  const h = cluster(1);
  const cases: [Record<string, string>, string][] = [
    [{ 'no.such.config': '1' }, 'Unknown topic config name: no.such.config'],
    [{ 'cleanup.policy': 'shred' }, 'Invalid value shred for configuration cleanup.policy: ' +
      'String must be one of: compact, delete'],
    [{ 'retention.ms': '-2' }, 'Invalid value -2 for configuration retention.ms: Value must be ' +
      'at least -1'],
    [{ 'retention.ms': 'soon' }, 'Invalid value soon for configuration retention.ms: Not a ' +
      'number of type LONG'],
    [{ 'retention.bytes': '1.5' }, 'Invalid value 1.5 for configuration retention.bytes: Not a ' +
      'number of type LONG'],
    [{ 'segment.bytes': '10' }, 'Invalid value 10 for configuration segment.bytes: Value must ' +
      'be at least 14'],
    [{ 'segment.bytes': '3000000000' }, 'Invalid value 3000000000 for configuration ' +
      'segment.bytes: Not a number of type INT'],
    [{ 'min.insync.replicas': '0' }, 'Invalid value 0 for configuration min.insync.replicas: ' +
      'Value must be at least 1'],
    [{ 'max.message.bytes': '-1' }, 'Invalid value -1 for configuration max.message.bytes: ' +
      'Value must be at least 0'],
    [{ 'unclean.leader.election.enable': 'yes' }, 'Invalid value yes for configuration ' +
      'unclean.leader.election.enable: Expected value to be either true or false'],
    [{ 'min.cleanable.dirty.ratio': '1.5' }, 'Invalid value 1.5 for configuration ' +
      'min.cleanable.dirty.ratio: Value must be no more than 1'],
  ];
  for (const [configs, message] of cases) t.equal(errorOf(h, { name: 'c', configs }),
    `INVALID_CONFIG: ${message}`);
  t.equal(errorOf(h, {
    name: 'fine',
    configs: {
      'cleanup.policy': 'compact,delete', 'retention.ms': '-1',
        'retention.bytes': '9223372036854775807',
      'segment.bytes': '1048576', 'min.insync.replicas': '2', 'max.message.bytes': '1000000',
      'unclean.leader.election.enable': 'TRUE',
    },
  }), 'created');
});

t.test('manual assignments: Kafka\'s checks and messages (INVALID_REPLICA_ASSIGNMENT, ' +
  'INVALID_REQUEST)', async (t) => {
  const h = cluster(3);
  const manual = (assignments: number[][], extra = {}) =>
    errorOf(h, { name: 'm', numPartitions: -1, replicationFactor: -1, assignments, ...extra });
  t.equal(manual([[1, 2]], { replicationFactor: 2 }), 'INVALID_REQUEST: A manual partition ' +
    'assignment was specified, but replication factor was not set to -1.');
  t.equal(manual([[1, 2]], { numPartitions: 1 }), 'INVALID_REQUEST: A manual partition ' +
    'assignment was specified, but numPartitions was not set to -1.');
  t.equal(manual([[]]), 'INVALID_REPLICA_ASSIGNMENT: The manual partition assignment includes ' +
    'an empty replica list.');
  t.equal(manual([[1, 7]]), 'INVALID_REPLICA_ASSIGNMENT: The manual partition assignment ' +
    'includes broker 7, but no such broker is registered.');
  t.equal(manual([[2, 2]]), 'INVALID_REPLICA_ASSIGNMENT: The manual partition assignment ' +
    'includes the broker 2 more than once.');
  t.equal(manual([[1, 2], [3]]), 'INVALID_REPLICA_ASSIGNMENT: The manual partition assignment ' +
    'includes a partition with 1 replica(s), but this is not consistent with previous ' +
      'partitions, ' +
    'which have 2 replica(s).');
  t.equal(manual([[3, 1], [2, 3]]), 'created');
  t.same(h.topic('m').partitions.map((p) => [p.replicas, p.leader]), [[[3, 1], 3], [[2, 3], 2]]);
});

t.test('validateOnly checks everything and writes nothing', async (t) => {
  const h = cluster(3);
  const response = h.controller.createTopics([{ name: 'dry', numPartitions: 3,
    replicationFactor: 3 }], true);
  t.match(response, { ok: true, records: [], reply: [{ ok: true, numPartitions: 3,
    replicationFactor: 3 }] });
  t.notOk(h.controller.image.topics.byName.has('dry'));
});

t.test('replica placement spreads leaders and replicas evenly: 6 brokers, 60 partitions, RF ' +
  '3', async (t) => {
  for (const seed of [1, 2, 3]) {
    const h = new ControllerHarness({ seed });
    for (let id = 1; id <= 6; id++) h.addBroker(id);
    h.createTopic('even', 60, 3);
    const leads = new Map<number, number>();
    const holds = new Map<number, number>();
    for (const p of h.topic('even').partitions) {
      leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) holds.set(r, (holds.get(r) ?? 0) + 1);
      t.equal(new Set(p.replicas).size, 3, 'three distinct brokers');
    }
    t.same([...leads.values()], [10, 10, 10, 10, 10, 10], `seed ${seed}: each broker leads 10`);
    t.same([...holds.values()], [30, 30, 30, 30, 30, 30], `seed ${seed}: each broker holds 30`);
  }
});

t.test('placement is deterministic for a seed and uses only usable brokers', async (t) => {
  const place = (seed: number) => {
    const h = new ControllerHarness({ seed });
    for (let id = 1; id <= 4; id++) h.addBroker(id);
    h.createTopic('t', 8, 2);
    return h.topic('t').partitions.map((p) => p.replicas.join(','));
  };
  t.same(place(5), place(5));
  const h = cluster(3);
  const epoch = h.image.cluster.brokers.get(2)!.brokerEpoch;
  h.heartbeat(2, epoch, 0, { fence: true });
  h.createTopic('skip-fenced', 6, 2);
  for (const p of h.topic('skip-fenced').partitions) t.notOk(p.replicas.includes(2), 'no fenced ' +
    'broker');
});
