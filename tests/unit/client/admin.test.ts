import t from 'tap';
import {
  ConfigResourceTypes, ErrorCode, Kafka, RaftkaAggregateError, RaftkaNumberOfRetriesExceeded,
  RaftkaProtocolError, RaftkaTopicError,
} from '../../../client/index.js';
import type { Admin, KafkaConfig } from '../../../client/index.js';
import { HOST, closedPort, startFakeCluster } from './fixtures/fake-broker.js';
import type { FakeCluster } from './fixtures/fake-broker.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

const FAST_RETRY = { retries: 3, initialRetryTime: 10, maxRetryTime: 50, factor: 0.2, multiplier: 2 };

let cluster: FakeCluster;
t.beforeEach(async () => {
  cluster = await startFakeCluster(3);
});
t.afterEach(() => cluster.stop());

function admin(t: TapTest, config: Partial<KafkaConfig> = {}): Admin {
  const client = new Kafka({ clientId: 'admin-test', brokers: cluster.addresses, retry: FAST_RETRY,
    ...config }).admin();
  t.teardown(() => client.disconnect());
  return client;
}

t.test('bootstrap fails over to the next broker when the first is down', async (t) => {
  const dead = `${HOST}:${await closedPort()}`;
  const client = admin(t, { brokers: [dead, cluster.addresses[1]!] });
  await client.connect();
  t.same(await client.listTopics(), []);
  t.equal(cluster.brokers[1]!.count('Metadata'), 2, 'the second broker served both calls');
  t.equal(cluster.brokers[1]!.received[0]?.clientId, 'admin-test', 'clientId in every request');
});

t.test('a broker that dies is replaced by another on the next attempt', async (t) => {
  const client = admin(t);
  await client.connect();
  await cluster.brokers[0]!.stop();
  const description = await client.describeCluster();
  t.equal(description.clusterId, cluster.state.clusterId);
  t.equal(cluster.brokers[1]!.count('DescribeCluster'), 1, 'served by the second broker');
});

t.test('no reachable broker: retries run out with the connection error as cause', async (t) => {
  const client = admin(t, { brokers: [`${HOST}:${await closedPort()}`] });
  const error = await client.listTopics().catch((e: unknown) => e);
  t.type(error, RaftkaNumberOfRetriesExceeded);
  t.match(error, { retryCount: 3, cause: { name: 'RaftkaConnectionError',
    message: /^Failed to connect to any broker: .*ECONNREFUSED/ } });
});

t.test('createTopics creates, reports existing topics as false, and waits for leaders', async (t) => {
  const client = admin(t);
  cluster.state.leaderDelayMetadataRequests = 3;
  t.equal(await client.createTopics({ topics: [
    { topic: 'orders', numPartitions: 3, replicationFactor: 2,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ] }), true);
  const orders = cluster.state.topics.get('orders')!;
  t.same(orders.partitions.map((p) => p.replicas), [[1, 2], [2, 3], [3, 1]], 'round robin');
  t.ok(orders.partitions.every((p) => p.leader >= 0), 'leaders were elected before it resolved');
  t.same([...orders.configs], [['cleanup.policy', 'compact']]);
  t.equal(await client.createTopics({ topics: [{ topic: 'orders' }] }), false, 'already exists');
  t.equal(await client.createTopics({ topics: [{ topic: 'orders' }, { topic: 'more' }] }), false,
    'false when every failure is TOPIC_ALREADY_EXISTS');
  t.ok(cluster.state.topics.has('more'));
  t.same((await client.listTopics()).sort(), ['more', 'orders']);
});

t.test('createTopics with validateOnly creates nothing', async (t) => {
  const client = admin(t);
  t.equal(await client.createTopics({ validateOnly: true, topics: [{ topic: 'dry', numPartitions: 2 }] }),
    true);
  t.equal(cluster.state.topics.size, 0);
});

t.test('non-retriable topic errors surface at once with their Kafka type', async (t) => {
  const client = admin(t);
  const error = await client.createTopics({ topics: [
    { topic: 'too-many', replicationFactor: 4 },
    { topic: 'bad name!' },
    { topic: 'fine' },
  ] }).catch((e: unknown) => e);
  t.type(error, RaftkaAggregateError);
  if (!(error instanceof RaftkaAggregateError)) return;
  t.match(error.errors, [
    { name: 'RaftkaTopicError', topic: 'too-many', type: 'INVALID_REPLICATION_FACTOR', code: 38,
      retriable: false, message: 'Unable to replicate the partition 4 time(s): The target ' +
        'replication factor of 4 cannot be reached because only 3 broker(s) are registered.' },
    { topic: 'bad name!', type: 'INVALID_TOPIC_EXCEPTION', code: 17 },
  ]);
  t.equal(error.errors.length, 2);
  t.ok(cluster.state.topics.has('fine'), 'the valid topic was created');
  t.equal(cluster.brokers[0]!.count('CreateTopics'), 1, 'not retried');
});

t.test('a retriable per-topic code is retried for that topic, then succeeds', async (t) => {
  const client = admin(t);
  cluster.brokers[0]!.inject({ api: 'CreateTopics', kind: 'topic-error',
    errorCode: ErrorCode.NOT_CONTROLLER, count: 2 });
  t.equal(await client.createTopics({ topics: [{ topic: 'retried' }], waitForLeaders: false }), true);
  t.equal(cluster.brokers[0]!.count('CreateTopics'), 3, 'two NOT_CONTROLLER answers, then success');
});

t.test('a retriable envelope error is retried; a non-retriable one is not', async (t) => {
  const client = admin(t);
  const broker = cluster.brokers[0]!;
  broker.inject({ api: 'DescribeCluster', kind: 'envelope-error',
    errorCode: ErrorCode.REQUEST_TIMED_OUT, count: 2 });
  t.equal((await client.describeCluster()).brokers.length, 3);
  t.equal(broker.count('DescribeCluster'), 3);
  broker.inject({ api: 'DescribeCluster', kind: 'envelope-error',
    errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'no', count: 1 });
  const error = await client.describeCluster().catch((e: unknown) => e);
  t.type(error, RaftkaProtocolError);
  t.match(error, { type: 'UNSUPPORTED_VERSION', code: 35, retriable: false, message: 'no' });
  t.equal(broker.count('DescribeCluster'), 4, 'sent once');
});

t.test('retries run out on a persistent retriable error', async (t) => {
  const client = admin(t);
  cluster.brokers[0]!.inject({ api: 'DescribeQuorum', kind: 'envelope-error',
    errorCode: ErrorCode.NOT_CONTROLLER, count: 100 });
  const error = await client.describeQuorum().catch((e: unknown) => e);
  t.type(error, RaftkaNumberOfRetriesExceeded);
  t.match(error, { retryCount: 3, retriable: false, cause: { type: 'NOT_CONTROLLER' } });
  t.equal(cluster.brokers[0]!.count('DescribeQuorum'), 4, 'one attempt and three retries');
});

t.test('a request timeout is retried like any retriable failure', async (t) => {
  const client = admin(t, { requestTimeout: 100 });
  cluster.brokers[0]!.inject({ api: 'DescribeQuorum', kind: 'silence', count: 1 });
  const quorum = await client.describeQuorum();
  t.equal(quorum.leaderId, 1);
  t.equal(cluster.brokers[0]!.count('DescribeQuorum'), 2);
});

t.test('deleteTopics deletes; a missing topic is an answer, not retried', async (t) => {
  const client = admin(t);
  await client.createTopics({ topics: [{ topic: 'a' }, { topic: 'b' }] });
  await client.deleteTopics({ topics: ['a'] });
  t.same(await client.listTopics(), ['b']);
  const error = await client.deleteTopics({ topics: ['a'] }).catch((e: unknown) => e);
  t.type(error, RaftkaTopicError);
  t.match(error, { topic: 'a', type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 });
  t.equal(cluster.brokers[0]!.count('DeleteTopics'), 2, 'not retried');
  const both = await client.deleteTopics({ topics: ['x', 'y'] }).catch((e: unknown) => e);
  t.match(both, { name: 'RaftkaAggregateError', errors: [{ topic: 'x' }, { topic: 'y' }] });
});

t.test('createPartitions grows a topic and refuses to shrink it', async (t) => {
  const client = admin(t);
  await client.createTopics({ topics: [{ topic: 'grow', numPartitions: 2 }] });
  t.equal(await client.createPartitions({ topicPartitions: [{ topic: 'grow', count: 4 }] }), true);
  t.equal(cluster.state.topics.get('grow')!.partitions.length, 4);
  const error = await client.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] })
    .catch((e: unknown) => e);
  t.match(error, { type: 'INVALID_PARTITIONS',
    message: 'The topic grow currently has 4 partition(s); 3 would not be an increase.' });
});

t.test('fetchTopicMetadata returns KafkaJS-shaped metadata; unknown topics reject', async (t) => {
  const client = admin(t);
  await client.createTopics({ topics: [{ topic: 'meta', numPartitions: 2, replicationFactor: 3 }] });
  const { topics } = await client.fetchTopicMetadata({ topics: ['meta'] });
  t.match(topics, [{ name: 'meta', isInternal: false, partitions: [
    { partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3],
      offlineReplicas: [] },
    { partitionId: 1, leader: 2, replicas: [2, 3, 1] },
  ] }]);
  t.equal((await client.fetchTopicMetadata()).topics.length, 1, 'all topics');
  const error = await client.fetchTopicMetadata({ topics: ['nope'] }).catch((e: unknown) => e);
  t.match(error, { topic: 'nope', type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: false });
});

t.test('describeCluster, describeQuorum and describeConfigs', async (t) => {
  const client = admin(t);
  t.match(await client.describeCluster(), { clusterId: cluster.state.clusterId, controller: 1,
    brokers: [{ nodeId: 1, host: HOST }, { nodeId: 2 }, { nodeId: 3 }] });
  const quorum = await client.describeQuorum();
  t.match(quorum, { leaderId: 1, leaderEpoch: 5, highWatermark: 250 });
  t.equal(quorum.voters.length, 3);
  t.same(quorum.observers[0], { replicaId: 4, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
    logEndOffset: 240, lastFetchTimestamp: undefined, lastCaughtUpTimestamp: undefined });
  await client.createTopics({ topics: [{ topic: 'conf',
    configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
  const { resources } = await client.describeConfigs({ resources: [
    { type: ConfigResourceTypes.TOPIC, name: 'conf', configNames: ['retention.ms', 'cleanup.policy'] },
  ] });
  t.match(resources, [{ resourceName: 'conf', configEntries: [
    { configName: 'cleanup.policy', configValue: 'delete', isDefault: true },
    { configName: 'retention.ms', configValue: '1000', isDefault: false, configSource: 1 },
  ] }]);
});

t.test('bad arguments and configuration are refused without a request', async (t) => {
  t.throws(() => new Kafka({ brokers: [] }), { name: 'RaftkaError', message: /brokers/ });
  t.throws(() => new Kafka({ brokers: ['nohost'] }), { message: /'nohost' is not host:port/ });
  t.throws(() => new Kafka({ brokers: ['a:1'], requestTimeout: -1 }), { message: /requestTimeout/ });
  const client = admin(t);
  await t.rejects(client.createTopics({ topics: [{ topic: 'x' }, { topic: 'x' }] }),
    { message: /must be all unique/ });
  await t.rejects(client.deleteTopics({ topics: [] }), { message: /Invalid topics array/ });
  t.equal(cluster.brokers[0]!.received.length, 0);
});
