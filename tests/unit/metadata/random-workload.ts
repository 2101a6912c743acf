/**
 * A seeded random stream of controller requests (valid and invalid): brokers registering,
 * heartbeating, shutting down and going silent, topics created, grown and deleted, ISR
 * changes with current and stale epochs, producer id blocks. Every successful write is
 * committed through the harness, so the harness log is the metadata log of the run.
 */
import { createPrng, type Prng } from '../../../lib/prng.js';
import type { MetadataImage } from '../../../metadata/index.js';
import { CLUSTER_ID, ControllerHarness } from './harness.js';

const TOPICS = ['a', 'b', 'c.d', 'c_d', 'e', 'f'];

export function runWorkload(seed: number, steps: number,
  onStep?: (h: ControllerHarness) => void): ControllerHarness {
  const h = new ControllerHarness({ seed, config: { brokerSessionTimeoutMs: 6000 } });
  const prng = createPrng(seed * 7919 + 1);
  let nowMs = 0;
  for (let step = 0; step < steps; step++) {
    nowMs += prng.nextInt(0, 2500);
    stepOnce(h, prng, nowMs);
    onStep?.(h);
  }
  return h;
}

function pick<T>(prng: Prng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[prng.nextInt(0, items.length)];
}

function stepOnce(h: ControllerHarness, prng: Prng, nowMs: number): void {
  const c = h.controller;
  const image = c.image;
  const brokerIds = [...image.cluster.brokers.keys()];
  const roll = prng.nextInt(0, 100);
  if (roll < 10) {
    const brokerId = prng.nextInt(1, 7);
    const existing = image.cluster.brokers.get(brokerId);
    const incarnationId = existing !== undefined &&
      prng.chance(0.5) ? existing.incarnationId : h.newIncarnationId();
    commitIfOk(h, c.registerBroker({ brokerId, clusterId: CLUSTER_ID, incarnationId,
      listeners: [], rack: null, logDirs: [] }, nowMs));
  } else if (roll < 45) {
    const brokerId = pick(prng, brokerIds);
    if (brokerId === undefined) return;
    const broker = image.cluster.brokers.get(brokerId)!;
    commitIfOk(h, c.brokerHeartbeat({
      brokerId,
      brokerEpoch: prng.chance(0.95) ? broker.brokerEpoch : broker.brokerEpoch - 1,
      currentMetadataOffset: h.image.provenance.offset - (prng.chance(0.2) ? 1 : 0),
      wantFence: prng.chance(0.05),
      wantShutDown: prng.chance(0.08),
    }, nowMs));
  } else if (roll < 50) {
    for (const write of c.expireSessions(nowMs)) h.commitWrite(write);
  } else if (roll < 65) {
    const name = pick(prng, TOPICS)!;
    const configs: Record<string, string> =
      prng.chance(0.2) ? { 'retention.ms': String(prng.nextInt(-3, 5)) } : {};
    commitIfOk(h, c.createTopics([{
      name, numPartitions: prng.nextInt(-1, 5), replicationFactor: prng.nextInt(-1, 4), configs,
    }], prng.chance(0.1)));
  } else if (roll < 72) {
    commitIfOk(h, c.deleteTopics({ names: [pick(prng, TOPICS)!] }));
  } else if (roll < 78) {
    commitIfOk(h, c.createPartitions([{ name: pick(prng, TOPICS)!, count: prng.nextInt(1, 8) }]));
  } else if (roll < 95) {
    alterRandomIsr(h, prng, image);
  } else {
    const brokerId = pick(prng, brokerIds);
    if (brokerId === undefined) return;
    const brokerEpoch = image.cluster.brokers.get(brokerId)!.brokerEpoch;
    commitIfOk(h, c.allocateProducerIds({ brokerId, brokerEpoch }));
  }
}

function alterRandomIsr(h: ControllerHarness, prng: Prng, image: MetadataImage): void {
  const topic = pick(prng, [...image.topics.byId.values()]);
  if (topic === undefined) return;
  const partitionId = prng.nextInt(0, topic.partitions.length);
  const p = topic.partitions[partitionId]!;
  if (p.leader < 0) return;
  const others = p.replicas.filter((r) => r !== p.leader && prng.chance(0.6));
  const broker = image.cluster.brokers.get(p.leader);
  commitIfOk(h, h.controller.alterPartition({
    brokerId: p.leader,
    brokerEpoch: broker?.brokerEpoch ?? 0,
    topicId: topic.topicId,
    partitionId,
    leaderEpoch: p.leaderEpoch - (prng.chance(0.1) ? 1 : 0),
    partitionEpoch: p.partitionEpoch - (prng.chance(0.1) ? 1 : 0),
    newIsr: [p.leader, ...others],
  }));
}

function commitIfOk(h: ControllerHarness,
  response: Parameters<ControllerHarness['commit']>[0]): void {
  if (response.ok) h.commitWrite(response);
}
