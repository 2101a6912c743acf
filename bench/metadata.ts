/**
 * The metadata benchmark: 3 controllers + 3 brokers (real processes, loopback, fsync on), and
 * this process as an admin client creating `--topics` topics of `--partitions` partitions
 * (replication factor 3) through the brokers, `--batch` topics per CreateTopics request and
 * `--inflight` requests at once. Then:
 *  - controller failover: SIGKILL the active controller and time until a CreateTopics issued
 *    right after the kill succeeds (with every partition in the image);
 *  - broker catch-up: SIGKILL a broker, restart it, and time from the restart until it has
 *    replayed the metadata log (snapshot + tail: its "Caught up" line), until it is unfenced
 *    (after a SIGKILL the old registration's session must expire first, as in Kafka), and
 *    until it serves Metadata with every topic;
 *  - RSS of every controller and broker process (largest of each kind).
 *   npm run bench -- metadata [--topics 10000] [--partitions 10] [--batch 100] [--inflight 4]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KafkaCluster } from '../tests/harness/kafka-cluster.js';
import { pollUntil } from '../tests/harness/wait-for.js';
import { round } from './stats.js';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024, 1);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      topics: { type: 'string', default: '10000' },
      partitions: { type: 'string', default: '10' },
      batch: { type: 'string', default: '100' },
      inflight: { type: 'string', default: '4' },
    },
  });
  const topicCount = Number(values.topics);
  const partitionsPerTopic = Number(values.partitions);
  const batch = Number(values.batch);
  const inflight = Number(values.inflight);
  const cluster = await KafkaCluster.create({
    controllers: 3,
    brokers: 3,
    extraProperties: {
      // A snapshot every 8 MiB of records, so a restarted broker loads one and replays a tail.
      'metadata.log.max.record.bytes.between.snapshots': 8 * 1024 * 1024,
      'broker.heartbeat.interval.ms': 500,
      'broker.session.timeout.ms': 3000,
    },
  });
  try {
    await cluster.startAll();
    const kafka = cluster.kafka();
    const admin = kafka.admin({ retry: { retries: 20 } });
    await admin.connect();

    // 1. Creation throughput.
    const names = Array.from({ length: topicCount }, (_, i) => `bench-${String(i).padStart(6, '0')}`);
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const slice = names.slice(next, next + batch);
        next += batch;
        await admin.createTopics({
          topics: slice.map((topic) => ({ topic, numPartitions: partitionsPerTopic,
            replicationFactor: 3 })),
          waitForLeaders: false,
          timeout: 60_000,
        });
      }
    };
    await Promise.all(Array.from({ length: inflight }, worker));
    const createSeconds = (performance.now() - started) / 1000;
    const partitions = topicCount * partitionsPerTopic;
    const createPerSec = partitions / createSeconds;
    console.log(`metadata create: ${topicCount} topics, ${partitions} partitions (RF 3) in ` +
      `${createSeconds.toFixed(2)} s: ${createPerSec.toFixed(1)} partitions/sec, ` +
      `${(topicCount / createSeconds).toFixed(1)} topics/sec`);

    // Every broker must hold every partition before the failure measurements.
    await pollUntil('every broker to see every topic', async () => {
      for (const id of cluster.brokerIds) {
        const probe = cluster.kafka([id]).admin();
        try {
          const topics = await probe.listTopics();
          if (topics.length < topicCount) return undefined;
        } finally {
          await probe.disconnect();
        }
      }
      return true;
    }, 120_000, 250);
    const controllerRssMb = Math.max(...cluster.controllerIds.map((id) =>
      rssMb(cluster.process(id).pid)));
    const brokerRssMb = Math.max(...cluster.brokerIds.map((id) => rssMb(cluster.process(id).pid)));
    console.log(`metadata memory: controller RSS ${controllerRssMb} MB, broker RSS ` +
      `${brokerRssMb} MB (largest of each kind)`);

    // 2. Controller failover.
    const quorum = await admin.describeQuorum();
    const active = quorum.leaderId;
    await cluster.kill(active);
    const killedAt = performance.now();
    await admin.createTopics({ topics: [{ topic: 'after-failover', numPartitions: 1,
      replicationFactor: 3 }], waitForLeaders: false, timeout: 30_000 });
    const controllerFailoverMs = performance.now() - killedAt;
    console.log(`metadata failover: SIGKILL of active controller ${active}; a create succeeded ` +
      `${controllerFailoverMs.toFixed(1)} ms later`);
    await cluster.start(active);

    // 3. Broker restart.
    const victim = cluster.brokerIds[cluster.brokerIds.length - 1]!;
    await cluster.kill(victim);
    const restartedAt = performance.now();
    const restarted = cluster.launch(victim);
    await restarted.waitForLine(/Caught up with the metadata log/, 60_000);
    const brokerCatchUpMs = performance.now() - restartedAt;
    await restarted.waitForLine(/Kafka Server started/, 60_000);
    const brokerUnfencedMs = performance.now() - restartedAt;
    const probe = cluster.kafka([victim]).admin();
    await pollUntil('the restarted broker to list every topic', async () =>
      ((await probe.listTopics()).length >= topicCount + 1 ? true : undefined), 60_000, 20);
    const brokerServesMs = performance.now() - restartedAt;
    await probe.disconnect();
    console.log(`metadata broker restart: broker ${victim} caught up with the metadata log ` +
      `${brokerCatchUpMs.toFixed(1)} ms after the restart (process start + snapshot + tail), ` +
      `unfenced after ${brokerUnfencedMs.toFixed(1)} ms (its old session had to expire: ` +
      `SIGKILL), serving every topic after ${brokerServesMs.toFixed(1)} ms`);
    await admin.disconnect();
    console.log(JSON.stringify({
      bench: 'metadata', partitions, topics: topicCount, createPerSec: round(createPerSec, 1),
      controllerFailoverMs: round(controllerFailoverMs, 1), brokerCatchUpMs: round(brokerCatchUpMs, 1),
      brokerUnfencedMs: round(brokerUnfencedMs, 1), brokerServesMs: round(brokerServesMs, 1), controllerRssMb, brokerRssMb,
    }));
  } finally {
    await cluster.stop();
  }
}
