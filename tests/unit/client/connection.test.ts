import t from 'tap';
import { createServer } from 'node:net';
import {
  BrokerConnection, RaftkaConnectionError, RaftkaProtocolError, RaftkaRequestTimeoutError,
} from '../../../client/index.js';
import type { ConnectionOptions } from '../../../client/index.js';
import { createPrng } from '../../../lib/prng.js';
import { ErrorCode } from '../../../protocol/index.js';
import {
  HOST, closedPort, startFakeCluster, waitFor,
} from './fixtures/fake-broker.js';
import type { FakeCluster } from './fixtures/fake-broker.js';

let cluster: FakeCluster;
t.before(async () => {
  cluster = await startFakeCluster(1);
  for (let i = 0; i < 50; i++) {
    cluster.state.topics.set(`topic-${i}`, {
      name: `topic-${i}`, topicId: 'x7kqzQW9TjGfMX8XqXKqLw', configs: new Map(),
      partitions: Array.from({ length: i % 5 + 1 }, () => ({
        leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], offlineReplicas: [] })),
    });
  }
});
t.teardown(() => cluster.stop());

function connect(overrides: Partial<ConnectionOptions> = {}): BrokerConnection {
  const broker = cluster.brokers[0]!;
  return new BrokerConnection({
    address: { host: HOST, port: broker.port }, clientId: 'connection-test',
    connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, maxInFlightRequests: 16,
    maxQueuedRequests: 1_000, maxFrameBytes: 1024 * 1024, ...overrides,
  });
}

t.test('many requests in flight are matched to their responses by correlation id', async (t) => {
  const broker = cluster.brokers[0]!;
  const prng = createPrng(7);
  broker.responseDelayMs = () => prng.nextInt(0, 20); // answers come back out of order
  broker.maxInFlightSeen = 0;
  t.teardown(() => { broker.responseDelayMs = () => 0; });
  const connection = connect();
  t.teardown(() => connection.disconnect());
  const asks = Array.from({ length: 300 }, (_, i) => `topic-${i % 50}`);
  const answers = await Promise.all(asks.map((name) =>
    connection.request('Metadata', { topics: [name], allowAutoTopicCreation: false })));
  const mismatched = answers.flatMap((answer, i) =>
    answer.topics[0]?.name === asks[i] && answer.topics[0]?.partitions.length === (i % 50) % 5 + 1
      ? [] : [i]);
  t.same(mismatched, [], 'every answer belongs to its request');
  t.ok(broker.maxInFlightSeen <= 16, `at most 16 in flight (saw ${broker.maxInFlightSeen})`);
  t.ok(broker.maxInFlightSeen > 1, 'requests were pipelined');
  t.match(connection.stats(), { inFlight: 0, queued: 0, requestsSent: 300, connects: 1 });
});

t.test('a request without an answer times out (retriable); a late answer is dropped', async (t) => {
  const broker = cluster.brokers[0]!;
  broker.inject({ api: 'DescribeCluster', kind: 'delay', delayMs: 300, count: 1 });
  const connection = connect({ requestTimeoutMs: 100 });
  t.teardown(() => connection.disconnect());
  const error = await connection.request('DescribeCluster', {}).catch((e: unknown) => e);
  t.type(error, RaftkaRequestTimeoutError);
  t.match(error, { retriable: true,
    message: /^Request DescribeCluster\(key: 60, version: 0\) to 127\.0\.0\.1:\d+ timed out after 100 ms$/ });
  await waitFor('the late response', () => connection.stats().lateResponses === 1);
  const answer = await connection.request('DescribeCluster', {});
  t.equal(answer.clusterId, cluster.state.clusterId, 'the connection still serves');
});

t.test('an error in the response envelope surfaces as a typed protocol error', async (t) => {
  cluster.brokers[0]!.inject({ api: 'DescribeQuorum', kind: 'envelope-error',
    errorCode: ErrorCode.NOT_CONTROLLER, count: 1 });
  const connection = connect();
  t.teardown(() => connection.disconnect());
  const error = await connection.request('DescribeQuorum', {}).catch((e: unknown) => e);
  t.type(error, RaftkaProtocolError);
  t.match(error, { type: 'NOT_CONTROLLER', code: 41, retriable: true,
    message: 'This is not the correct controller for this cluster.' });
});

t.test('a lost connection fails what is pending and reconnects on next use', async (t) => {
  const broker = cluster.brokers[0]!;
  broker.inject({ api: 'DescribeCluster', kind: 'close', count: 1 });
  const connection = connect();
  t.teardown(() => connection.disconnect());
  const error = await connection.request('DescribeCluster', {}).catch((e: unknown) => e);
  t.type(error, RaftkaConnectionError);
  t.match(error, { retriable: true, message: /closed \(code 1006\)/ });
  t.equal(connection.connected, false);
  const answer = await connection.request('DescribeCluster', {});
  t.equal(answer.controllerId, 1, 'served after reconnecting');
  t.equal(connection.stats().connects, 2);
});

t.test('a refused connection rejects with a retriable connection error', async (t) => {
  const port = await closedPort();
  const connection = connect({ address: { host: HOST, port } });
  const error = await connection.request('ApiVersions',
    { clientSoftwareName: 'raftka', clientSoftwareVersion: '0' }).catch((e: unknown) => e);
  t.type(error, RaftkaConnectionError);
  t.match(error, { retriable: true, broker: `${HOST}:${port}`, message: /ECONNREFUSED/ });
});

t.test('a server that never completes the handshake hits the connection timeout', async (t) => {
  const accepted = new Set<import('node:net').Socket>();
  const silent = createServer((socket) => accepted.add(socket)); // never answers the upgrade
  await new Promise<void>((resolve) => silent.listen(0, HOST, resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    for (const socket of accepted) socket.destroy();
    silent.close(() => resolve());
  }));
  const address = silent.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const connection = connect({ address: { host: HOST, port: address.port }, connectionTimeoutMs: 100 });
  const started = Date.now();
  const error = await connection.connect().catch((e: unknown) => e);
  t.type(error, RaftkaConnectionError);
  t.match(error, { message: /timeout/i });
  t.ok(Date.now() - started < 2_000, 'gave up promptly');
});

t.test('requests over the pending bound are refused at once; disconnect fails the rest', async (t) => {
  const broker = cluster.brokers[0]!;
  broker.inject({ api: 'DescribeCluster', kind: 'silence', count: 3 });
  const before = broker.count('DescribeCluster');
  const connection = connect({ maxInFlightRequests: 2, maxQueuedRequests: 1 });
  const pending = [1, 2, 3].map(() => connection.request('DescribeCluster', {}).catch((e: unknown) => e));
  const refused = await connection.request('DescribeCluster', {}).catch((e: unknown) => e);
  t.match(refused, { retriable: true, message: /Too many requests pending/ });
  await waitFor('two requests at the broker', () => broker.count('DescribeCluster') === before + 2);
  t.match(connection.stats(), { inFlight: 2, queued: 1 });
  await connection.disconnect();
  for (const error of await Promise.all(pending)) {
    t.match(error, { name: 'RaftkaConnectionError', retriable: false,
      message: 'Connection closed by the client' });
  }
});

t.test('a request larger than the frame limit is refused before it is sent', async (t) => {
  const connection = connect({ maxFrameBytes: 1_024 });
  const error = await connection.request('Metadata', {
    topics: Array.from({ length: 200 }, (_, i) => `a-rather-long-topic-name-${i}`),
    allowAutoTopicCreation: false,
  }).catch((e: unknown) => e);
  t.match(error, { type: 'MESSAGE_TOO_LARGE', retriable: false });
  t.equal(connection.stats().connects, 0, 'nothing was sent');
});
