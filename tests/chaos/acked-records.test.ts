/**
 * No acknowledged record is lost (issue: the data plane). Three controllers and three brokers
 * as real processes; one topic, 3 partitions, RF 3, min.insync.replicas 2, acks=-1, unclean
 * leader election off. A producer writes sequence-numbered records to every partition (one
 * send in flight per partition, so acknowledged records keep their order) while the test
 * SIGKILLs and restarts the leader of each partition, twice round, and SIGSTOPs a follower past
 * replica.lag.time.max.ms. Then:
 *  - a consumer reads every partition from the start: each acknowledged record is at its
 *    acknowledged offset, acknowledged sequence numbers grow with offsets, offsets are dense;
 *  - the three replicas hold identical bytes below the high watermark (read from their segment
 *    files, read-only, while the brokers run);
 *  - with 2 of 3 replicas down, acks=-1 produce fails with NOT_ENOUGH_REPLICAS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Kafka } from '../../client/index.js';
import { batchesIn, lastOffsetOf } from '../../protocol/records/index.js';
import { KafkaCluster } from '../harness/kafka-cluster.js';
import { pollUntil } from '../harness/wait-for.js';

const TOPIC = 'chaos';
const PARTITIONS = 3;
const LAG_TIME_MAX_MS = 1_500;

const cluster = await KafkaCluster.create({
  controllers: 3,
  brokers: 3,
  echo: process.env.RAFTKA_ECHO === '1',
  extraProperties: {
    'broker.heartbeat.interval.ms': 200,
    'broker.session.timeout.ms': 2_000,
    'replica.lag.time.max.ms': LAG_TIME_MAX_MS,
    'min.insync.replicas': 2,
    'default.replication.factor': 3,
    'unclean.leader.election.enable': 'false',
  },
});
t.teardown(() => cluster.stop());
await cluster.startAll();

interface PartitionState { leader: number; isr: number[]; replicas: number[] }

async function partitions(kafka: Kafka): Promise<PartitionState[]> {
  const admin = kafka.admin();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    return (topics[0]?.partitions ?? []).map((p) => ({
      leader: p.leader, isr: [...p.isr], replicas: [...p.replicas],
    }));
  } finally {
    await admin.disconnect();
  }
}

async function waitForFullIsr(kafka: Kafka, what: string): Promise<void> {
  await pollUntil(what, async () => {
    const states = await partitions(kafka);
    return states.length === PARTITIONS && states.every((p) => p.isr.length === 3 && p.leader >= 0)
      ? true : undefined;
  }, 30_000, 100);
}

const admin = cluster.kafka().admin();
await admin.createTopics({
  topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }],
});
await admin.disconnect();
const control = cluster.kafka(undefined, 'chaos-control');
await waitForFullIsr(control, 'the topic with a full ISR');

interface Acked { seq: number; offset: number }
const acked: Acked[][] = Array.from({ length: PARTITIONS }, () => []);
const failures: string[] = [];
let producing = true;

const producer = cluster.kafka(undefined, 'chaos-producer').producer({
  retry: { retries: 40, initialRetryTime: 50, maxRetryTime: 500 },
});
await producer.connect();
const writers = Array.from({ length: PARTITIONS }, async (_, partition) => {
  for (let seq = 0; producing; seq++) {
    try {
      const [result] = await producer.send({
        topic: TOPIC, acks: -1, timeout: 3_000,
        messages: [{ partition, key: `p${partition}`, value: `${partition}:${seq}` }],
      });
      acked[partition]!.push({ seq, offset: Number(result!.baseOffset) });
    } catch (error) {
      failures.push(`${partition}:${seq} ${(error as Error).message}`);
    }
  }
});
const ackedCount = (): number => acked.reduce((sum, list) => sum + list.length, 0);
async function moreAcks(count: number, what: string): Promise<void> {
  const target = ackedCount() + count;
  await pollUntil(what, () => (ackedCount() >= target ? true : undefined), 30_000, 20);
}

t.test('SIGKILL and restart of each partition leader, twice round', async (t) => {
  await moreAcks(50, 'the first acknowledgements');
  for (let round = 0; round < 2; round++) {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const before = (await partitions(control))[partition]!;
      await cluster.kill(before.leader);
      await pollUntil(`a new leader for ${TOPIC}-${partition}`, async () => {
        const now = (await partitions(control))[partition];
        return now !== undefined && now.leader >= 0 && now.leader !== before.leader
          ? true : undefined;
      }, 15_000, 50);
      await moreAcks(30, `acknowledgements after killing broker ${before.leader}`);
      await cluster.start(before.leader);
      await waitForFullIsr(control, `broker ${before.leader} back in every ISR`);
    }
  }
  t.pass(`${ackedCount()} records acknowledged so far`);
});

t.test('a follower paused past replica.lag.time.max.ms leaves the ISR and returns', async (t) => {
  const state = (await partitions(control))[0]!;
  const follower = state.replicas.find((r) => r !== state.leader)!;
  const paused = cluster.process(follower);
  paused.pause();
  try {
    await pollUntil(`broker ${follower} to leave the ISR of ${TOPIC}-0`, async () => {
      const now = (await partitions(control))[0];
      return now !== undefined && !now.isr.includes(follower) ? true : undefined;
    }, 20_000, 100);
    await moreAcks(30, 'acknowledgements with the follower out of the ISR');
  } finally {
    paused.resume();
  }
  await waitForFullIsr(control, `broker ${follower} back in the ISR`);
  t.pass('the ISR shrank and expanded');
});

// Subtests run in order after this file's top level; so does this one.
t.test('the producer stops', async (t) => {
  producing = false;
  await Promise.all(writers);
  await producer.disconnect();
  t.pass(`${ackedCount()} acknowledged, ${failures.length} sends failed`);
});

t.test('every acknowledged record is there, in order, at dense offsets', async (t) => {
  t.ok(ackedCount() > 300, `${ackedCount()} acknowledged, ${failures.length} failed sends`);
  const consumer = cluster.kafka(undefined, 'chaos-reader').consumer({ groupId: 'unused' });
  await consumer.connect();
  const ends = await endOffsets(cluster.kafka());
  consumer.assign([{ topic: TOPIC, partitions: [0, 1, 2] }]);
  for (let p = 0; p < PARTITIONS; p++) consumer.seek({ topic: TOPIC, partition: p, offset: 'earliest' });
  const seen: Map<number, string>[] = Array.from({ length: PARTITIONS }, () => new Map());
  const done = (): boolean => seen.every((map, p) => map.size >= ends[p]!);
  for await (const { partition, message } of consumer.messages()) {
    seen[partition]!.set(Number(message.offset), message.value?.toString() ?? '');
    if (done()) break;
  }
  await consumer.disconnect();
  for (let p = 0; p < PARTITIONS; p++) {
    const values = seen[p]!;
    const offsets = [...values.keys()].sort((a, b) => a - b);
    t.same(offsets, Array.from({ length: ends[p]! }, (_, i) => i), `partition ${p}: dense offsets`);
    let lost = 0;
    for (const { seq, offset } of acked[p]!) if (values.get(offset) !== `${p}:${seq}`) lost++;
    t.equal(lost, 0, `partition ${p}: all ${acked[p]!.length} acknowledged records in place`);
    const ackedOffsets = acked[p]!.map((a) => a.offset);
    t.ok(ackedOffsets.every((o, i) => i === 0 || o > ackedOffsets[i - 1]!),
      `partition ${p}: acknowledged records keep their order`);
  }
});

t.test('the replicas hold identical bytes below the high watermark', async (t) => {
  const ends = await endOffsets(cluster.kafka());
  await waitForFullIsr(control, 'all replicas in sync');
  for (let p = 0; p < PARTITIONS; p++) {
    const copies = await pollUntil(`replicas of ${TOPIC}-${p} to reach ${ends[p]}`, () => {
      const all = cluster.brokerIds.map((id) =>
        bytesBelow(join(cluster.dataDir(id), `${TOPIC}-${p}`), ends[p]!));
      return all.every((c) => c.endOffset >= ends[p]!) ? all : undefined;
    }, 15_000, 100);
    for (const copy of copies.slice(1)) {
      t.ok(copy.bytes.equals(copies[0]!.bytes), `${TOPIC}-${p}: replica bytes identical ` +
        `(${copies[0]!.bytes.length} bytes)`);
    }
  }
});

t.test('with 2 of 3 replicas down, acks=-1 fails with NOT_ENOUGH_REPLICAS', async (t) => {
  const state = (await partitions(control))[0]!;
  const [down1, down2] = state.replicas.filter((r) => r !== state.leader) as [number, number];
  await cluster.kill(down1);
  await cluster.kill(down2);
  await pollUntil('the ISR of partition 0 to shrink to one', async () => {
    const now = (await partitions(control))[0];
    return now !== undefined && now.isr.length === 1 ? true : undefined;
  }, 20_000, 100);
  const lonely = cluster.kafka([state.leader], 'lonely').producer({
    retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
  });
  await lonely.connect();
  const error = await lonely.send({
    topic: TOPIC, acks: -1, timeout: 2_000, messages: [{ partition: 0, value: 'never acked' }],
  }).then(() => undefined, (e: unknown) => e as Error);
  await lonely.disconnect();
  t.ok(error !== undefined, 'the send was refused');
  // Retries ran out (RaftkaNumberOfRetriesExceeded); the last answer is the cause.
  t.match(error?.cause, { type: 'NOT_ENOUGH_REPLICAS' });
  t.match(error?.message, /fewer than min\.insync\.replicas=2/);
});

async function endOffsets(kafka: Kafka): Promise<number[]> {
  const offsetsAdmin = kafka.admin();
  try {
    const offsets = await offsetsAdmin.fetchTopicOffsets(TOPIC);
    return offsets.map((o) => Number(o.high));
  } finally {
    await offsetsAdmin.disconnect();
  }
}

/** The bytes of whole batches below `endOffset`, read from a partition's segment files. */
function bytesBelow(dir: string, endOffset: number): { bytes: Buffer; endOffset: number } {
  const segments = readdirSync(dir).filter((name) => name.endsWith('.log')).sort();
  const parts: Buffer[] = [];
  let reached = 0;
  for (const name of segments) {
    const data = readFileSync(join(dir, name));
    for (const { at, size, header } of batchesIn(data)) {
      if (lastOffsetOf(header) >= endOffset) return { bytes: Buffer.concat(parts), endOffset: reached };
      parts.push(data.subarray(at, at + size));
      reached = lastOffsetOf(header) + 1;
    }
  }
  return { bytes: Buffer.concat(parts), endOffset: reached };
}
