import t from 'tap';
import { Kafka } from '../../../client/index.js';
import type { Consumer, ConsumerConfig, KafkaMessage } from '../../../client/index.js';
import { startDataCluster, waitFor } from './fixtures/data-broker.js';

const FAST_RETRY = { initialRetryTime: 10, maxRetryTime: 100, retries: 5 };
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

async function setup(t: Tap, brokers = 1, config: ConsumerConfig = {}) {
  const cluster = await startDataCluster(brokers);
  const kafka = new Kafka({ clientId: 'consumer-test', brokers: cluster.addresses,
    retry: FAST_RETRY, requestTimeout: 3_000 });
  const consumer = kafka.consumer({ maxWaitTimeInMs: 100, ...config });
  await consumer.connect();
  t.teardown(async () => {
    await consumer.disconnect();
    await cluster.stop();
  });
  return { cluster, consumer, kafka };
}

/** Runs eachMessage collecting `topic/partition:offset=value`. */
async function collect(consumer: Consumer) {
  const seen: string[] = [];
  const messages: KafkaMessage[] = [];
  await consumer.run({ eachMessage: async ({ topic, partition, message }) => {
    messages.push(message);
    seen.push(`${topic}/${partition}:${message.offset}=${message.value?.toString() ?? 'null'}`);
  } });
  return { seen, messages };
}

t.test('subscribe fromBeginning reads every partition from the earliest offset', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('events', 2);
  cluster.state.seed('events', 0, ['a', 'b']);
  cluster.state.seed('events', 1, ['c']);
  await consumer.subscribe({ topic: 'events', fromBeginning: true });
  const { seen, messages } = await collect(consumer);
  await waitFor('three messages', () => seen.length === 3);
  t.strictSame([...seen].sort(), ['events/0:0=a', 'events/0:1=b', 'events/1:0=c']);
  const first = messages.find((m) => m.value?.toString() === 'a')!;
  t.ok(Buffer.isBuffer(first.value), 'values are Buffers');
  t.equal(first.key, null);
  t.equal(first.timestamp, '1000', 'timestamps are strings');
  t.equal(first.offset, '0', 'offsets are strings');
  t.strictSame(first.headers, {});
});

t.test('a new partition starts at the latest offset by default', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('late', 1);
  cluster.state.seed('late', 0, ['old-1', 'old-2']);
  consumer.assign([{ topic: 'late', partitions: [0] }]);
  const { seen } = await collect(consumer);
  await waitFor('the position to resolve', () => consumer.position({ topic: 'late',
    partition: 0 }) !== null);
  t.equal(consumer.position({ topic: 'late', partition: 0 }), '2');
  cluster.state.seed('late', 0, ['new']);
  await waitFor('the new message', () => seen.length === 1);
  t.strictSame(seen, ['late/0:2=new']);
});

t.test('seek to an offset inside a batch skips the records before it', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('seek', 1);
  cluster.state.seed('seek', 0, Array.from({ length: 10 }, (_, i) => `v${i}`));
  consumer.assign([{ topic: 'seek', partitions: [0] }]);
  consumer.seek({ topic: 'seek', partition: 0, offset: '7' });
  const { seen } = await collect(consumer);
  await waitFor('three messages', () => seen.length === 3);
  t.strictSame(seen, ['seek/0:7=v7', 'seek/0:8=v8', 'seek/0:9=v9']);
  consumer.seek({ topic: 'seek', partition: 0, offset: 'earliest' });
  await waitFor('a re-read from the start', () => seen.length === 13);
  t.equal(seen[3], 'seek/0:0=v0');
});

t.test('seekToTimestamp starts at the first record at or after the time', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('timed', 1);
  cluster.state.seed('timed', 0, ['t0', 't1', 't2', 't3', 't4'], 5_000);
  consumer.assign([{ topic: 'timed', partitions: [0] }]);
  await consumer.seekToTimestamp({ topic: 'timed', partition: 0, timestamp: 5_003 });
  t.equal(consumer.position({ topic: 'timed', partition: 0 }), '3');
  const { seen } = await collect(consumer);
  await waitFor('two messages', () => seen.length === 2);
  t.strictSame(seen, ['timed/0:3=t3', 'timed/0:4=t4']);
  await consumer.seekToTimestamp({ topic: 'timed', partition: 0, timestamp: 99_999 });
  t.equal(consumer.position({ topic: 'timed', partition: 0 }), '5', 'past the end: latest');
});

t.test('OFFSET_OUT_OF_RANGE resets to autoOffsetReset', async (t) => {
  const { cluster, consumer } = await setup(t, 1, { autoOffsetReset: 'earliest' });
  cluster.state.createTopic('range', 1);
  cluster.state.seed('range', 0, ['first', 'second']);
  consumer.assign([{ topic: 'range', partitions: [0] }]);
  consumer.seek({ topic: 'range', partition: 0, offset: 1_000 });
  const { seen } = await collect(consumer);
  await waitFor('both messages after the reset', () => seen.length === 2);
  t.strictSame(seen, ['range/0:0=first', 'range/0:1=second']);
});

t.test('pause stops a partition and resume picks it up where it was', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('pp', 2);
  consumer.assign([{ topic: 'pp', partitions: [0, 1] }]);
  consumer.seek({ topic: 'pp', partition: 0, offset: 0 });
  consumer.seek({ topic: 'pp', partition: 1, offset: 0 });
  consumer.pause([{ topic: 'pp', partitions: [0] }]);
  t.strictSame(consumer.paused(), [{ topic: 'pp', partitions: [0] }]);
  const { seen } = await collect(consumer);
  cluster.state.seed('pp', 0, ['held']);
  cluster.state.seed('pp', 1, ['flows']);
  await waitFor('the unpaused partition', () => seen.includes('pp/1:0=flows'));
  cluster.state.seed('pp', 1, ['flows-2']);
  await waitFor('a later fetch of the unpaused partition', () => seen.length === 2);
  t.notOk(seen.includes('pp/0:0=held'), 'nothing from the paused partition');
  consumer.resume([{ topic: 'pp' }]);
  await waitFor('the resumed partition', () => seen.includes('pp/0:0=held'));
  t.equal(seen.length, 3);
});

t.test('a slow handler keeps one fetch per broker outstanding and no more', async (t) => {
  const { cluster, consumer } = await setup(t, 1, { maxWaitTimeInMs: 20 });
  cluster.state.createTopic('slow', 3);
  for (let p = 0; p < 3; p++) cluster.state.seed('slow', p, ['x', 'y']);
  await consumer.subscribe({ topic: 'slow', fromBeginning: true });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let handled = 0;
  await consumer.run({ partitionsConsumedConcurrently: 2, eachMessage: async () => {
    handled += 1;
    await gate;
  } });
  await waitFor('two handlers blocked', () => handled === 2);
  const fetchesWhileBlocked = cluster.brokers[0]!.count('Fetch');
  // Let plenty of long polls (20 ms each) go by if the loop were fetching ahead.
  const deadline = Date.now() + 150;
  await waitFor('time to pass', () => Date.now() >= deadline);
  t.equal(cluster.brokers[0]!.count('Fetch'), fetchesWhileBlocked, 'no fetch while handling');
  t.equal(consumer.stats().fetchesOutstanding, 1, 'the one fetch is being handled');
  t.equal(cluster.brokers[0]!.maxFetchesInFlight, 1);
  release();
  await waitFor('all six messages', () => handled === 6);
});

t.test('NOT_LEADER_OR_FOLLOWER on fetch refreshes metadata and reads from the new leader',
  async (t) => {
    const { cluster, consumer } = await setup(t, 2);
    cluster.state.createTopic('moving', 1, () => 1);
    cluster.state.seed('moving', 0, ['before']);
    await consumer.subscribe({ topic: 'moving', fromBeginning: true });
    const { seen } = await collect(consumer);
    await waitFor('the first message', () => seen.length === 1);
    cluster.state.moveLeader('moving', 0, 2);
    cluster.state.seed('moving', 0, ['after']);
    await waitFor('the message from the new leader', () => seen.length === 2);
    t.strictSame(seen, ['moving/0:0=before', 'moving/0:1=after']);
    t.ok(cluster.brokers[1]!.count('Fetch') > 0, 'fetched from broker 2');
  });

t.test('eachBatch gets all fetched messages of a partition', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('batches', 1);
  cluster.state.seed('batches', 0, ['a', 'b', 'c']);
  await consumer.subscribe({ topic: 'batches', fromBeginning: true });
  const batches: string[][] = [];
  await consumer.run({ eachBatch: async ({ batch }) => {
    batches.push(batch.messages.map((m) => m.value!.toString()));
    t.equal(batch.highWatermark, '3');
    t.equal(batch.lastOffset(), '2');
  } });
  await waitFor('a batch', () => batches.length === 1);
  t.strictSame(batches[0], ['a', 'b', 'c']);
  await waitFor('the position to move past the batch', () =>
    consumer.position({ topic: 'batches', partition: 0 }) === '3');
});

t.test('a handler that keeps failing is retried, then the consumer crashes', async (t) => {
  const { cluster, consumer } = await setup(t, 1);
  cluster.state.createTopic('crash', 1);
  cluster.state.seed('crash', 0, ['bad']);
  await consumer.subscribe({ topic: 'crash', fromBeginning: true });
  let calls = 0;
  let crashed: unknown;
  consumer.on(consumer.events.CRASH, (event) => { crashed = event.payload; });
  await consumer.run({ eachMessage: async () => {
    calls += 1;
    throw new Error('boom');
  } });
  await waitFor('the crash', () => crashed !== undefined);
  t.equal(calls, FAST_RETRY.retries + 1, 'first try plus retries');
  t.match(crashed, { error: { message: 'boom' } });
  t.equal(consumer.position({ topic: 'crash', partition: 0 }), '0', 'not consumed');
});

t.test('messages() iterates, and breaking out stops the consumer', async (t) => {
  const { cluster, consumer } = await setup(t);
  cluster.state.createTopic('iter', 1);
  cluster.state.seed('iter', 0, ['1', '2', '3', '4']);
  await consumer.subscribe({ topic: 'iter', fromBeginning: true });
  const values: string[] = [];
  for await (const { message } of consumer.messages()) {
    values.push(message.value!.toString());
    if (values.length === 2) break;
  }
  t.strictSame(values, ['1', '2']);
  t.equal(consumer.position({ topic: 'iter', partition: 0 }), '2',
    'the two read are consumed, the rest are not');
  const fetches = cluster.brokers[0]!.count('Fetch');
  cluster.state.seed('iter', 0, ['5']);
  const deadline = Date.now() + 150;
  await waitFor('time to pass', () => Date.now() >= deadline);
  t.equal(cluster.brokers[0]!.count('Fetch'), fetches, 'no fetch after the loop ended');
});

t.test('disconnect stops fetching and handling', async (t) => {
  const cluster = await startDataCluster(1);
  t.teardown(() => cluster.stop());
  cluster.state.createTopic('bye', 1);
  const consumer = new Kafka({ brokers: cluster.addresses, retry: FAST_RETRY })
    .consumer({ maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bye', fromBeginning: true });
  const { seen } = await collect(consumer);
  cluster.state.seed('bye', 0, ['one']);
  await waitFor('the first message', () => seen.length === 1);
  await consumer.disconnect();
  const fetches = cluster.brokers[0]!.count('Fetch');
  cluster.state.seed('bye', 0, ['two']);
  const deadline = Date.now() + 200;
  await waitFor('time to pass', () => Date.now() >= deadline);
  t.equal(seen.length, 1, 'no message after disconnect');
  t.equal(cluster.brokers[0]!.count('Fetch'), fetches, 'no fetch after disconnect');
  await t.rejects(consumer.run({ eachMessage: async () => undefined }), /not connected/);
});

t.test('a produced message comes back through the consumer with key and headers', async (t) => {
  const { cluster, consumer, kafka } = await setup(t);
  cluster.state.createTopic('round', 1);
  const producer = kafka.producer({ lingerMs: 0 });
  await producer.connect();
  t.teardown(() => producer.disconnect());
  consumer.assign([{ topic: 'round', partitions: [0] }]);
  consumer.seek({ topic: 'round', partition: 0, offset: 0 });
  const { messages } = await collect(consumer);
  await producer.send({ topic: 'round', messages: [{ key: 'k', value: 'v', timestamp: '42',
    headers: { one: 'x', two: ['y', 'z'] } }] });
  await waitFor('the message', () => messages.length === 1);
  const [message] = messages;
  t.equal(message?.key?.toString(), 'k');
  t.equal(message?.timestamp, '42');
  t.strictSame(Object.fromEntries(Object.entries(message?.headers ?? {}).map(([k, v]) =>
    [k, Array.isArray(v) ? v.map(String) : String(v)])), { one: 'x', two: ['y', 'z'] });
});
