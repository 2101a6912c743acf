import t from 'tap';
import { createPrng } from '../../../lib/prng.js';
import {
  controllerConfig, MetadataStateMachine, QuorumController, type PartitionRegistration,
} from '../../../metadata/index.js';
import { CLUSTER_ID, ControllerHarness } from './harness.js';

const LISTENERS = [{ name: 'PLAINTEXT', host: 'h', port: 1, securityProtocol: 'PLAINTEXT' }];

function register(h: ControllerHarness, brokerId: number, incarnationId: string, nowMs = 0) {
  return h.controller.registerBroker({
    brokerId, clusterId: CLUSTER_ID, incarnationId, listeners: LISTENERS, rack: null, logDirs: [],
  }, nowMs);
}

function epochOf(h: ControllerHarness, brokerId: number): number {
  return h.image.cluster.brokers.get(brokerId)!.brokerEpoch;
}

function partitions(h: ControllerHarness, name: string): readonly PartitionRegistration[] {
  return h.topic(name).partitions;
}

/** Brokers 1..n registered and unfenced at time 0, a topic `t` with `count` partitions. */
function cluster(n: number, count: number, rf: number, configs = {}): ControllerHarness {
  const h = new ControllerHarness();
  for (let id = 1; id <= n; id++) h.addBroker(id);
  h.createTopic('t', count, rf, configs);
  return h;
}

t.test('registration: broker epoch = the record\'s offset, and the broker starts fenced ' +
  '(KIP-631)', async (t) => {
  const h = new ControllerHarness();
  h.commit(h.controller.writeNoOp());
  const incarnation = h.newIncarnationId();
  const response = register(h, 7, incarnation);
  t.match(response, { ok: true, offset: 1, reply: { brokerEpoch: 1 } });
  h.commit(response);
  t.match(h.image.cluster.brokers.get(7), { brokerEpoch: 1, fenced: true,
    incarnationId: incarnation });
  t.match(register(h, 7, incarnation), { ok: true, records: [], reply: { brokerEpoch: 1 } },
    'the same incarnation again is idempotent');
});

t.test('registration refuses a foreign cluster id and a live duplicate broker id', async (t) => {
  const h = new ControllerHarness();
  const response = h.controller.registerBroker({
    brokerId: 1, clusterId: 'AAAAAAAAAAAAAAAAAAAAAA', incarnationId: h.newIncarnationId(),
    listeners: LISTENERS, rack: null, logDirs: [],
  }, 0);
  t.match(response, { ok: false, error: { error: 'INCONSISTENT_CLUSTER_ID',
    message: `Expected cluster ID ${CLUSTER_ID}, but got cluster ID AAAAAAAAAAAAAAAAAAAAAA` } });
  h.addBroker(1, 0);
  t.match(register(h, 1, h.newIncarnationId(), 8000), { ok: false, error: {
    error: 'DUPLICATE_BROKER_REGISTRATION', message: 'Another broker is registered with that ' +
      'broker id.' } });
});

t.test('a new incarnation replaces a broker whose session expired and takes its leaderships ' +
  'away', async (t) => {
  const h = cluster(2, 2, 2);
  const led = partitions(h, 't').filter((p) => p.leader === 1).length;
  t.ok(led > 0, 'broker 1 leads something');
  h.heartbeat(2, epochOf(h, 2), 9500);
  const response = register(h, 1, h.newIncarnationId(), 9500);
  t.match(response, { ok: true });
  h.commit(response);
  t.match(h.image.cluster.brokers.get(1), { fenced: true });
  for (const p of partitions(h, 't')) {
    t.equal(p.leader, 2, 'broker 2 leads');
    t.same(p.isr, [2], 'broker 1 left the ISR');
  }
});

t.test('heartbeats unfence a broker once it has caught up to its registration', async (t) => {
  const h = new ControllerHarness();
  const { brokerEpoch } = h.commit(register(h, 1, h.newIncarnationId()));
  const behind = { brokerId: 1, brokerEpoch, currentMetadataOffset: brokerEpoch - 1,
    wantFence: false, wantShutDown: false };
  t.match(h.controller.brokerHeartbeat(behind, 10), { ok: true, records: [],
    reply: { isFenced: true, isCaughtUp: false } });
  t.match(h.controller.brokerHeartbeat({ ...behind, currentMetadataOffset: brokerEpoch,
    wantFence: true }, 20),
    { ok: true, records: [], reply: { isFenced: true } }, 'wantFence keeps it fenced');
  const unfence = h.controller.brokerHeartbeat({ ...behind, currentMetadataOffset: brokerEpoch },
    30);
  t.match(unfence, {
    ok: true,
    records: [{ type: 'BrokerRegistrationChangeRecord', brokerId: 1, brokerEpoch, fenced: -1 }],
    reply: { isFenced: false, isCaughtUp: true, shouldShutDown: false },
  });
  h.commit(unfence);
  t.equal(h.image.cluster.brokers.get(1)!.fenced, false);
});

t.test('heartbeats with an unknown broker or a stale broker epoch get ' +
  'STALE_BROKER_EPOCH', async (t) => {
  const h = new ControllerHarness();
  const epoch = h.addBroker(1);
  const beat = { brokerId: 1, brokerEpoch: epoch + 5, currentMetadataOffset: 0, wantFence: false,
    wantShutDown: false };
  t.match(h.controller.brokerHeartbeat(beat, 0), { ok: false, error: { error: 'STALE_BROKER_EPOCH',
    message: `Expected broker epoch ${epoch}, but got broker epoch ${epoch + 5}` } });
  t.match(h.controller.brokerHeartbeat({ ...beat, brokerId: 9 }, 0), { ok: false, error: {
    error: 'STALE_BROKER_EPOCH', message: 'No broker registration found for broker 9' } });
});

t.test('session expiry fences a silent broker: out of every ISR, new leaders with bumped ' +
  'epochs', async (t) => {
  const h = cluster(3, 6, 3);
  const before = partitions(h, 't');
  h.heartbeat(2, epochOf(h, 2), 8000);
  h.heartbeat(3, epochOf(h, 3), 8000);
  t.same(h.controller.expireSessions(9000), [], 'not yet: 9000 ms is the timeout itself');
  const writes = h.controller.expireSessions(9001);
  t.equal(writes.length, 1);
  const write = writes[0]!;
  t.equal(write.reply, 1);
  t.match(write.records.at(-1), { type: 'BrokerRegistrationChangeRecord', brokerId: 1, fenced: 1 });
  h.commitWrite(write);
  t.equal(h.image.cluster.brokers.get(1)!.fenced, true);
  partitions(h, 't').forEach((p, i) => {
    const old = before[i]!;
    t.notOk(p.isr.includes(1), `partition ${i}: broker 1 left the ISR`);
    t.equal(p.partitionEpoch, old.partitionEpoch + 1, 'partition epoch + 1');
    if (old.leader === 1) {
      t.equal(p.leader, old.replicas.find((r) => r !== 1), 'next preferred ISR replica leads');
      t.equal(p.leaderEpoch, old.leaderEpoch + 1, 'leader epoch + 1');
    } else {
      t.equal(p.leaderEpoch, old.leaderEpoch, 'other leaders keep their epoch');
    }
  });
  t.same(h.controller.expireSessions(9002), [], 'a fenced broker is not fenced again');
});

t.test('the last ISR member stays in the ISR and the partition goes offline (ELR ' +
  'off)', async (t) => {
  const h = cluster(2, 1, 2);
  h.heartbeat(1, epochOf(h, 1), 8000);
  const [first] = h.controller.expireSessions(9001);
  h.commitWrite(first!);
  const [second] = h.controller.expireSessions(17_001);
  h.commitWrite(second!);
  const p = partitions(h, 't')[0]!;
  t.equal(p.leader, -1, 'offline');
  t.equal(p.isr.length, 1, 'one member left');
  t.equal(p.isr[0], first!.reply === 2 ? 1 : 2, 'the last broker to go');
});

t.test('a fenced broker that comes back leads the offline partitions whose ISR names ' +
  'it', async (t) => {
  const h = cluster(1, 2, 1);
  const epoch = epochOf(h, 1);
  h.commitWrite(h.controller.expireSessions(9001)[0]!);
  t.same(partitions(h, 't').map((p) => p.leader), [-1, -1]);
  const back = h.heartbeat(1, epoch, 9500);
  t.equal(back.isFenced, false);
  t.same(partitions(h, 't').map((p) => [p.leader, p.leaderEpoch]), [[1, 2], [1, 2]]);
});

t.test('unclean.leader.election.enable lets an out-of-sync live replica lead', async (t) => {
  for (const unclean of [false, true]) {
    const h = cluster(2, 1, 2, { 'unclean.leader.election.enable': String(unclean) });
    const p0 = partitions(h, 't')[0]!;
    const leader = p0.leader;
    const follower = p0.replicas.find((r) => r !== leader)!;
    h.commit(h.controller.alterPartition({
      brokerId: leader, brokerEpoch: epochOf(h, leader), topicId: h.topic('t').topicId,
        partitionId: 0,
      leaderEpoch: p0.leaderEpoch, partitionEpoch: p0.partitionEpoch, newIsr: [leader],
    }));
    h.heartbeat(follower, epochOf(h, follower), 8000);
    h.commitWrite(h.controller.expireSessions(9001)[0]!);
    const p = partitions(h, 't')[0]!;
    if (unclean) t.same([p.leader, p.isr], [follower, [follower]], 'unclean: the follower leads ' +
      'alone');
    else t.same([p.leader, p.isr], [-1, [leader]], 'clean: offline, ISR keeps the old leader');
  }
});

t.test('controlled shutdown moves leaderships away first, then answers ' +
  'shouldShutDown', async (t) => {
  const h = cluster(3, 6, 3);
  const epoch = epochOf(h, 1);
  const response = h.controller.brokerHeartbeat({
    brokerId: 1, brokerEpoch: epoch, currentMetadataOffset: h.image.provenance.offset,
    wantFence: false, wantShutDown: true,
  }, 100);
  t.match(response, { ok: true, reply: { inControlledShutdown: true, shouldShutDown: false,
    isFenced: false } });
  h.commit(response);
  t.equal(h.image.cluster.brokers.get(1)!.inControlledShutdown, true);
  for (const p of partitions(h, 't')) {
    t.not(p.leader, 1, 'broker 1 leads nothing');
    t.notOk(p.isr.includes(1), 'and left the ISRs');
  }
  const shutdownOffset = h.image.provenance.offset;
  h.heartbeat(2, epochOf(h, 2), 200);
  const lagging = h.controller.brokerHeartbeat({
    brokerId: 3, brokerEpoch: epochOf(h, 3), currentMetadataOffset: shutdownOffset - 1,
    wantFence: false, wantShutDown: false,
  }, 200);
  h.commit(lagging);
  t.match(h.heartbeat(1, epoch, 300, { shutDown: true }), { shouldShutDown: false },
    'broker 3 has not seen the leader moves yet');
  h.heartbeat(3, epochOf(h, 3), 400);
  t.match(h.heartbeat(1, epoch, 500, { shutDown: true }), { shouldShutDown: true, isFenced: true });
  t.equal(h.image.cluster.brokers.get(1)!.fenced, true);
  const replicaCounts = h.topic('t').partitions.map((p) => p.replicas.length);
  t.same(replicaCounts, new Array(6).fill(3), 'replicas are unchanged');
});

t.test('a broker that leads nothing, or is fenced, may shut down at once', async (t) => {
  const h = new ControllerHarness();
  h.addBroker(1);
  h.addBroker(2);
  h.createTopic('t', 1, 1, {});
  const idle = partitions(h, 't')[0]!.leader === 1 ? 2 : 1;
  t.match(h.heartbeat(idle, epochOf(h, idle), 10, { shutDown: true }), { shouldShutDown: true,
    isFenced: true });
  const fenced = h.commit(register(h, 3, h.newIncarnationId()));
  t.match(h.heartbeat(3, fenced.brokerEpoch, 10, { shutDown: true }), { shouldShutDown: true });
});

t.test('a newly active controller starts every session at its activation time (not in the ' +
  'log)', async (t) => {
  const h = cluster(2, 2, 2);
  const standby = new QuorumController({
    config: controllerConfig({ clusterId: CLUSTER_ID }), prng: createPrng(3),
  });
  const machine = new MetadataStateMachine();
  machine.subscribe((_d, image) => standby.onCommitted(image));
  machine.apply(h.log);
  t.match(standby.createTopics([{ name: 'x', numPartitions: 1, replicationFactor: 1 }]),
    { ok: false, error: { error: 'NOT_CONTROLLER' } }, 'a standby answers NOT_CONTROLLER');
  t.same(standby.expireSessions(1_000_000), [], 'and fences nobody');
  standby.activate(100_000, machine.image.provenance.offset + 2);
  t.same(standby.expireSessions(109_000), [], 'a full session from activation');
  t.same(standby.expireSessions(109_001).map((w) => w.reply), [1, 2]);
});

t.test('allocateProducerIds hands out disjoint blocks of 1000', async (t) => {
  const h = new ControllerHarness();
  const epoch = h.addBroker(1);
  const first = h.commit(h.controller.allocateProducerIds({ brokerId: 1, brokerEpoch: epoch }));
  const second = h.commit(h.controller.allocateProducerIds({ brokerId: 1, brokerEpoch: epoch }));
  t.same([first, second], [{ producerIdStart: 0, producerIdLen: 1000 }, { producerIdStart: 1000,
    producerIdLen: 1000 }]);
  t.equal(h.image.producerIds.nextProducerId, 2000);
  t.match(h.controller.allocateProducerIds({ brokerId: 1, brokerEpoch: epoch + 1 }),
    { ok: false, error: { error: 'STALE_BROKER_EPOCH' } });
});
