/**
 * Three controllers and three brokers as real kafka-server-start processes on loopback (KIP-631
 * lifecycle end to end): topics created through any broker reach every broker; SIGKILL of the
 * active controller leaves a quorum that serves creates within seconds; a SIGKILLed broker is
 * fenced and its leaderships move within the session timeout, and a restarted one is unfenced
 * again; SIGTERM moves a broker's leaderships away before it exits 0; a second live process
 * with the same node.id, and a broker of another cluster, are refused.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { Kafka } from '../../client/index.js';
import { distCli } from '../harness/controller-cluster.js';
import { KafkaCluster } from '../harness/kafka-cluster.js';
import { pollUntil } from '../harness/wait-for.js';
import { nodeProperties } from '../harness/node-properties.js';
import { freePort } from '../harness/ports.js';
import { formatStorage, newClusterId } from '../harness/storage.js';

const SESSION_TIMEOUT_MS = 2_000;

const cluster = await KafkaCluster.create({
  controllers: 3,
  brokers: 3,
  extraProperties: {
    'broker.heartbeat.interval.ms': 200,
    'broker.session.timeout.ms': SESSION_TIMEOUT_MS,
    'default.replication.factor': 3,
  },
});
t.teardown(() => cluster.stop());
await cluster.startAll();
const [b4, b5, b6] = cluster.brokerIds as [number, number, number];

interface PartitionView { partitionId: number; leader: number; isr: number[]; replicas: number[] }

/** The partitions of `topics` as broker `id` sees them (undefined while one is unknown). */
async function seenBy(kafka: Kafka, topics: readonly string[]) {
  const admin = kafka.admin();
  try {
    const { topics: found } = await admin.fetchTopicMetadata({ topics });
    return found.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p): PartitionView => ({
        partitionId: p.partitionId, leader: p.leader, isr: [...p.isr], replicas: [...p.replicas],
      })),
    }));
  } finally {
    await admin.disconnect();
  }
}

async function everyBrokerSees(topics: readonly string[], brokers = cluster.brokerIds) {
  for (const id of brokers) {
    const kafka = cluster.kafka([id]);
    await pollUntil(`broker ${id} to see ${topics.join(',')} with leaders`, async () => {
      const views = await seenBy(kafka, topics).catch(() => undefined);
      return views?.length === topics.length &&
        views.every((v) => v.partitions.length > 0 && v.partitions.every((p) => p.leader >= 0))
        ? true : undefined;
    }, 10_000, 50);
  }
}

async function activeController(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  try {
    return await pollUntil('an active controller', async () => {
      const quorum = await admin.describeQuorum();
      return quorum.leaderId >= 0 ? quorum.leaderId : undefined;
    }, 10_000, 50);
  } finally {
    await admin.disconnect();
  }
}

async function brokerStates(kafka: Kafka): Promise<Map<number, boolean>> {
  const admin = kafka.admin();
  try {
    const description = await admin.describeCluster();
    return new Map(description.brokers.map((b) => [b.nodeId, b.isFenced === true]));
  } finally {
    await admin.disconnect();
  }
}

const TOPICS = ['orders', 'payments', 'shipments', 'audit'];

t.test('topics created through one broker reach every broker with leaders', async (t) => {
  const admin = cluster.kafka([b4]).admin();
  t.teardown(() => admin.disconnect());
  const created = await admin.createTopics({
    topics: TOPICS.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 3 })),
  });
  t.equal(created, true);
  await everyBrokerSees(TOPICS);
  const views = await seenBy(cluster.kafka([b6]), TOPICS);
  for (const view of views) {
    for (const p of view.partitions) {
      t.same([...p.replicas].sort(), [b4, b5, b6], `${view.name}-${p.partitionId} on all brokers`);
      t.same([...p.isr].sort(), [b4, b5, b6], `${view.name}-${p.partitionId} ISR is complete`);
    }
  }
  const leaders = views.flatMap((v) => v.partitions.map((p) => p.leader));
  t.same([...new Set(leaders)].sort(), [b4, b5, b6], 'preferred leaders are spread');
  const states = await brokerStates(cluster.kafka([b5]));
  t.same([...states].sort(), [[b4, false], [b5, false], [b6, false]], 'all brokers unfenced');
});

t.test('after SIGKILL of the active controller a new one serves creates', async (t) => {
  const kafka = cluster.kafka([b5]);
  const old = await activeController(kafka);
  await cluster.kill(old);
  const started = Date.now();
  const admin = kafka.admin();
  t.teardown(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic: 'after-failover', numPartitions: 2 }] });
  const elapsedMs = Date.now() - started;
  t.ok(elapsedMs < 8_000, `create served ${elapsedMs} ms after the kill`);
  const next = await activeController(kafka);
  t.not(next, old, 'another controller is active');
  await everyBrokerSees([...TOPICS, 'after-failover']);
  await cluster.start(old);
});

t.test('a SIGKILLed broker is fenced and loses its leaderships; restarted, it returns',
  async (t) => {
    const kafka = cluster.kafka([b4]);
    const before = await seenBy(kafka, TOPICS);
    const led = before.flatMap((v) => v.partitions.filter((p) => p.leader === b6));
    t.ok(led.length > 0, `broker ${b6} leads ${led.length} partitions`);
    const killedAt = Date.now();
    await cluster.kill(b6);
    await pollUntil(`broker ${b6} to lose its leaderships and ISR places`, async () => {
      const views = await seenBy(kafka, TOPICS);
      const partitions = views.flatMap((v) => v.partitions);
      return partitions.every((p) => p.leader !== b6 && p.leader >= 0 && !p.isr.includes(b6))
        ? true : undefined;
    }, SESSION_TIMEOUT_MS + 5_000, 50);
    const movedMs = Date.now() - killedAt;
    t.ok(movedMs < SESSION_TIMEOUT_MS + 3_000, `leaderships moved ${movedMs} ms after the kill`);
    t.equal((await brokerStates(kafka)).get(b6), true, 'the broker is fenced');
    await cluster.start(b6);
    await pollUntil(`broker ${b6} to be unfenced`, async () =>
      ((await brokerStates(kafka)).get(b6) === false ? true : undefined), 10_000, 50);
    t.pass('restarted broker unfenced');
  });

t.test('SIGTERM moves a broker\'s leaderships away before it exits 0', async (t) => {
  const kafka = cluster.kafka([b4]);
  const before = await seenBy(kafka, TOPICS);
  const led = before.flatMap((v) => v.partitions.filter((p) => p.leader === b5));
  t.ok(led.length > 0, `broker ${b5} leads ${led.length} partitions`);
  const code = await cluster.terminate(b5);
  t.equal(code, 0, 'exit code 0');
  t.ok(cluster.process(b5).lines.some((line) => /Controlled shutdown completed/.test(line)),
    'the controller agreed to the controlled shutdown');
  const after = await seenBy(kafka, TOPICS);
  const partitions = after.flatMap((v) => v.partitions);
  t.ok(partitions.every((p) => p.leader !== b5 && p.leader >= 0),
    'no partition is left with the stopped broker as leader, none leaderless');
  await cluster.start(b5);
});

t.test('a second live process with the same node.id is refused', async (t) => {
  const dataDir = join(cluster.root, 'duplicate');
  const config = join(cluster.root, 'duplicate.properties');
  await writeFile(config, nodeProperties({
    nodeId: b4, roles: ['broker'], voters: cluster.controllerPorts,
    brokerPort: await freePort(), dataDir,
    extra: { 'initial.broker.registration.timeout.ms': 1_500 },
  }));
  await formatStorage(config, cluster.clusterId);
  const duplicate = cluster.launcher.start({
    name: 'duplicate', command: process.execPath, args: [distCli('kafka-server-start'), config],
  });
  const { code } = await duplicate.exited;
  t.equal(code, 1, 'exit code 1');
  const last = duplicate.lines.filter((line) => line !== '').at(-1) ?? '';
  t.match(last, /^ERROR Broker \d+ could not register .*DUPLICATE_BROKER_REGISTRATION: Another broker is registered with that broker id\.$/);
  t.equal((await brokerStates(cluster.kafka([b6]))).get(b4), false, 'the live broker is unharmed');
});

t.test('a broker formatted for another cluster is refused', async (t) => {
  const dataDir = join(cluster.root, 'stranger');
  const config = join(cluster.root, 'stranger.properties');
  await writeFile(config, nodeProperties({
    nodeId: 9, roles: ['broker'], voters: cluster.controllerPorts,
    brokerPort: await freePort(), dataDir,
    // Long: the refusal must come from the cluster id, not from the registration timeout.
    extra: { 'initial.broker.registration.timeout.ms': 30_000 },
  }));
  await formatStorage(config, await newClusterId());
  const stranger = cluster.launcher.start({
    name: 'stranger', command: process.execPath, args: [distCli('kafka-server-start'), config],
  });
  const { code } = await stranger.exited;
  t.equal(code, 1, 'exit code 1');
  const last = stranger.lines.filter((line) => line !== '').at(-1) ?? '';
  t.match(last, /^ERROR The controller quorum refused this broker: .*cluster id/);
});
