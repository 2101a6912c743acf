import t from 'tap';
import {
  Kafka, Partitioners, RaftkaNumberOfRetriesExceeded, RaftkaProtocolError,
} from '../../../client/index.js';
import type { ProducerConfig } from '../../../client/index.js';
import { ErrorCode } from '../../../protocol/index.js';
import { startDataCluster, waitFor } from './fixtures/data-broker.js';
import type { DataCluster } from './fixtures/data-broker.js';

const FAST_RETRY = { initialRetryTime: 10, maxRetryTime: 100, retries: 5 };

async function setup(t: Tap, brokers = 1, config: ProducerConfig = {}) {
  const cluster = await startDataCluster(brokers);
  const kafka = new Kafka({ clientId: 'producer-test', brokers: cluster.addresses,
    retry: FAST_RETRY, requestTimeout: 3_000 });
  const producer = kafka.producer(config);
  await producer.connect();
  t.teardown(async () => {
    await producer.disconnect();
    await cluster.stop();
  });
  return { cluster, producer };
}
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Loads the topic's metadata into the producer so later sends start in the same turn. */
async function warm(cluster: DataCluster, producer: Awaited<ReturnType<typeof setup>>['producer'],
  topic: string) {
  await producer.send({ topic, messages: [{ value: 'warm-up', partition: 0 }] });
  return cluster.brokers.reduce((sum, b) => sum + b.count('Produce'), 0);
}

t.test('concurrent sends to one leader share one Produce request (lingerMs 0)', async (t) => {
  const { cluster, producer } = await setup(t, 1, { lingerMs: 0 });
  cluster.state.createTopic('orders', 3);
  const before = await warm(cluster, producer, 'orders');
  const sends = [0, 1, 2, 0].map((partition, i) => producer.send({ topic: 'orders',
    messages: [{ value: `m${i}`, partition }, { value: `n${i}`, partition }] }));
  const results = await Promise.all(sends);
  t.equal(cluster.brokers[0]!.count('Produce') - before, 1, 'one request for all four sends');
  t.strictSame(cluster.brokers[0]!.produceRequests().at(-1)?.partitions,
    ['orders/0', 'orders/1', 'orders/2'], 'one batch per partition');
  t.match(results[0], [{ topicName: 'orders', partition: 0, errorCode: 0, baseOffset: '1' }]);
  t.match(results[3], [{ topicName: 'orders', partition: 0, errorCode: 0, baseOffset: '3' }],
    'a later send in the same batch reports the offset of its own first record');
  t.match(results[1],
    [{ partition: 1, baseOffset: '0', logAppendTime: '-1', logStartOffset: '0' }]);
  t.strictSame(cluster.state.values('orders', 0), ['warm-up', 'm0', 'n0', 'm3', 'n3']);
});

t.test('lingerMs holds a batch open for sends in later turns', async (t) => {
  const { cluster, producer } = await setup(t, 1, { lingerMs: 150 });
  cluster.state.createTopic('linger', 1);
  const before = await warm(cluster, producer, 'linger');
  const started = Date.now();
  const first = producer.send({ topic: 'linger', messages: [{ value: 'a' }] });
  for (let i = 0; i < 5; i++) await turn();
  t.equal(cluster.brokers[0]!.count('Produce'), before, 'nothing sent while lingering');
  const second = producer.send({ topic: 'linger', messages: [{ value: 'b' }] });
  await Promise.all([first, second]);
  t.ok(Date.now() - started >= 140, 'the batch waited for the linger window');
  t.equal(cluster.brokers[0]!.count('Produce') - before, 1, 'both sends in one request');
  t.strictSame(cluster.state.values('linger', 0), ['warm-up', 'a', 'b']);
});

t.test('with lingerMs 0, sends in different turns go in different requests', async (t) => {
  const { cluster, producer } = await setup(t, 1, { lingerMs: 0 });
  cluster.state.createTopic('eager', 1);
  const before = await warm(cluster, producer, 'eager');
  const first = producer.send({ topic: 'eager', messages: [{ value: 'a' }] });
  for (let i = 0; i < 3; i++) await turn();
  const second = producer.send({ topic: 'eager', messages: [{ value: 'b' }] });
  await Promise.all([first, second]);
  t.equal(cluster.brokers[0]!.count('Produce') - before, 2);
});

t.test('a full batch (batchSizeBytes) is sent without waiting for the linger window', async (t) => {
  const { cluster, producer } = await setup(t, 1, { lingerMs: 60_000, batchSizeBytes: 100 });
  cluster.state.createTopic('full', 1);
  await producer.send({ topic: 'full', messages: [{ value: 'x'.repeat(200), partition: 0 }] });
  t.pass('resolved long before the 60 s linger');
});

t.test('keyed messages go to toPositive(murmur2(key)) % partitions, as Java', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('keyed', 6);
  // Java-generated vectors: murmur2('1') = -1993445489 -> partition 3 of 6;
  // murmur2('0') = 971027396 -> 971027396 % 6 = 2; murmur2('128') = -326012175 -> 1 of 6.
  const result = await producer.send({ topic: 'keyed', messages: [
    { key: '1', value: 'one' }, { key: '0', value: 'zero' }, { key: Buffer.from('128'),
      value: 'one-two-eight' }] });
  const byValue = (p: number) => cluster.state.values('keyed', p);
  t.strictSame(byValue(3), ['one']);
  t.strictSame(byValue(971027396 % 6), ['zero']);
  t.strictSame(byValue((-326012175 & 0x7fffffff) % 6), ['one-two-eight']);
  t.equal(result.length, 3, 'one RecordMetadata per partition');
});

t.test('keyless messages stick to one partition per batch', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('sticky', 4);
  const messages = Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` }));
  const result = await producer.send({ topic: 'sticky', messages });
  t.equal(result.length, 1, 'all in one partition');
  t.equal(cluster.state.values('sticky', result[0]!.partition).length, 20);
});

t.test('RoundRobinPartitioner and a custom partitioner choose partitions', async (t) => {
  const { cluster, producer } = await setup(t, 1,
    { createPartitioner: Partitioners.RoundRobinPartitioner });
  cluster.state.createTopic('rr', 3);
  const result = await producer.send({ topic: 'rr', messages: [
    { key: 'same', value: 'a' }, { key: 'same', value: 'b' }, { key: 'same', value: 'c' }] });
  t.equal(result.length, 3, 'keys are ignored: three partitions');
  const custom = await setup(t, 1, { createPartitioner: () => ({ partitionMetadata }) =>
    partitionMetadata.length - 1 });
  custom.cluster.state.createTopic('custom', 5);
  const [meta] = await custom.producer.send({ topic: 'custom', messages: [{ value: 'x' }] });
  t.equal(meta?.partition, 4);
});

t.test('NOT_LEADER_OR_FOLLOWER refreshes metadata and resends to the new leader', async (t) => {
  const { cluster, producer } = await setup(t, 2);
  cluster.state.createTopic('moving', 1, () => 1);
  await warm(cluster, producer, 'moving');
  cluster.state.moveLeader('moving', 0, 2);
  const [meta] = await producer.send({ topic: 'moving', messages: [{ value: 'after-move' }] });
  t.match(meta, { partition: 0, errorCode: 0, baseOffset: '1' });
  t.equal(cluster.brokers[1]!.count('Produce'), 1, 'the new leader got the resend');
  t.ok(cluster.brokers[0]!.count('Produce') >= 2, 'the old leader refused one');
  t.strictSame(cluster.state.values('moving', 0), ['warm-up', 'after-move']);
});

t.test('retriable codes are retried with backoff; other codes fail the send', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('flaky', 1);
  await warm(cluster, producer, 'flaky');
  const broker = cluster.brokers[0]!;
  broker.faults.push({ api: 'Produce', topic: 'flaky', partition: 0,
    errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, count: 1 });
  broker.faults.push({ api: 'Produce', topic: 'flaky', partition: 0,
    errorCode: ErrorCode.REQUEST_TIMED_OUT, count: 1 });
  await producer.send({ topic: 'flaky', messages: [{ value: 'eventually' }] });
  t.strictSame(cluster.state.values('flaky', 0), ['warm-up', 'eventually']);
  broker.faults.push({ api: 'Produce', topic: 'flaky', partition: 0,
    errorCode: ErrorCode.MESSAGE_TOO_LARGE, count: 1 });
  const tooLarge = await producer.send({ topic: 'flaky', messages: [{ value: 'big' }] })
    .catch((error: unknown) => error);
  t.ok(tooLarge instanceof RaftkaProtocolError);
  t.match(tooLarge, { type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false });
  broker.faults.push({ api: 'Produce', topic: 'flaky', partition: 0,
    errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, count: 100 });
  const exhausted = await producer.send({ topic: 'flaky', messages: [{ value: 'never' }] })
    .catch((error: unknown) => error);
  t.ok(exhausted instanceof RaftkaNumberOfRetriesExceeded, 'retries run out');
  t.strictSame(cluster.state.values('flaky', 0), ['warm-up', 'eventually']);
});

t.test('acks=0 resolves without waiting for a response (none comes)', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('fire', 1);
  await warm(cluster, producer, 'fire');
  const started = Date.now();
  const [meta] = await producer.send({ topic: 'fire', acks: 0, messages: [{ value: 'x' }] });
  t.ok(Date.now() - started < 2_000, 'well before the 3 s request timeout');
  t.match(meta, { partition: 0, errorCode: 0, baseOffset: '-1' });
  await waitFor('the record to reach the log', () =>
    cluster.state.values('fire', 0).includes('x'));
  t.equal(cluster.brokers[0]!.produceRequests().at(-1)?.acks, 0);
});

t.test('at most maxInFlightRequests Produce requests per broker', async (t) => {
  const { cluster, producer } = await setup(t, 1,
    { maxInFlightRequests: 2, batchSizeBytes: 64, maxRequestBytes: 100, lingerMs: 0 });
  cluster.state.createTopic('bounded', 1);
  await warm(cluster, producer, 'bounded');
  cluster.brokers[0]!.responseDelayMs = (request) => (request.api === 'Produce' ? 30 : 0);
  const sends = Array.from({ length: 8 }, (_, i) => producer.send({ topic: 'bounded',
    messages: [{ value: `value-${i}-${'x'.repeat(60)}` }] }));
  await Promise.all(sends);
  t.equal(cluster.brokers[0]!.maxProducesInFlight, 2);
  t.equal(cluster.state.values('bounded', 0).length, 9);
});

t.test('sendBatch covers several topics in one request', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('a', 1);
  cluster.state.createTopic('b', 1);
  await warm(cluster, producer, 'a');
  await warm(cluster, producer, 'b');
  const before = cluster.brokers[0]!.count('Produce');
  const result = await producer.sendBatch({ topicMessages: [
    { topic: 'a', messages: [{ value: 'a1', headers: { h: 'v', many: ['1', '2'] } }] },
    { topic: 'b', messages: [{ value: 'b1' }, { value: null }] }] });
  t.equal(cluster.brokers[0]!.count('Produce') - before, 1);
  t.strictSame(result.map((r) => r.topicName).sort(), ['a', 'b']);
  t.strictSame(cluster.state.values('b', 0), ['warm-up', 'b1', '<null>']);
});

t.test('disconnect sends what lingers, then refuses new sends', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('closing', 1);
  const kafka = new Kafka({ brokers: cluster.addresses, retry: FAST_RETRY });
  const producer = kafka.producer({ lingerMs: 60_000 });
  await producer.connect();
  const pending = producer.send({ topic: 'closing', messages: [{ value: 'last' }] });
  await waitFor('the record to be buffered', () => producer.stats().buffered > 0);
  await producer.disconnect();
  t.match(await pending, [{ partition: 0, baseOffset: '0' }]);
  await t.rejects(producer.send({ topic: 'closing', messages: [{ value: 'x' }] }),
    /disconnected/);
});

t.test('bad input is refused before anything is queued', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('strict', 2);
  await t.rejects(producer.send({ topic: 'strict', messages: [{ value: 'x', partition: 2 }] }),
    /Invalid partition 2/);
  await t.rejects(producer.send({ topic: 'strict',
    messages: [{ value: 5 as unknown as string }] }), /value must be/);
  await t.rejects(producer.send({ topic: 'strict', compression: 2 as 0,
    messages: [{ value: 'x' }] }), /not supported/);
  t.throws(() => new Kafka({ brokers: cluster.addresses }).producer(
    { idempotent: true as false }), /idempotent/);
  t.equal(cluster.state.values('strict', 0).length + cluster.state.values('strict', 1).length, 0);
});

t.test('gzip batches are written and read back', async (t) => {
  const { cluster, producer } = await setup(t, 1);
  cluster.state.createTopic('zipped', 1);
  await producer.send({ topic: 'zipped', compression: 1,
    messages: [{ value: 'hello'.repeat(50), partition: 0 }] });
  t.strictSame(cluster.state.values('zipped', 0), ['hello'.repeat(50)]);
});
