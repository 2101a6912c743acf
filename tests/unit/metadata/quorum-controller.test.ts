import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import { createPrng } from '../../../lib/prng.js';
import { EntryKind } from '../../../raft/core/types.js';
import {
  controllerConfig, encodeRecords, MetadataStateMachine, QuorumController, type ControllerWrite,
} from '../../../metadata/index.js';
import { CLUSTER_ID, ControllerHarness } from './harness.js';

function wired(nextOffset = 10) {
  const machine = new MetadataStateMachine();
  const controller = new QuorumController({ config: controllerConfig({ clusterId: CLUSTER_ID }),
    prng: createPrng(1) });
  machine.subscribe((_delta, image) => controller.onCommitted(image));
  controller.activate(0, nextOffset);
  const commit = (write: ControllerWrite<unknown>) => machine.apply([
    { offset: write.offset, epoch: 2, kind: EntryKind.data, data: encodeRecords(write.records) },
  ]);
  return { machine, controller, commit };
}

/** Broker 1 registered and unfenced in the pending view. */
function withBroker(controller: QuorumController): void {
  const registered = controller.registerBroker({
    brokerId: 1, clusterId: CLUSTER_ID, incarnationId: 'AAAAAAAAAAAAAAAAAAAAAB', listeners: [],
      rack: null,
    logDirs: [],
  }, 0);
  if (!registered.ok) throw new Error('refused');
  controller.brokerHeartbeat({
    brokerId: 1, brokerEpoch: registered.reply.brokerEpoch,
      currentMetadataOffset: registered.offset,
    wantFence: false, wantShutDown: false,
  }, 0);
}

function createTopic(controller: QuorumController, name: string) {
  const response = controller.createTopics([{ name, numPartitions: 1, replicationFactor: 1 }]);
  if (!response.ok || !response.reply[0]!.ok) throw new Error(`${name} refused`);
  return response;
}

t.test('writes take consecutive offsets from activation; the view includes uncommitted ' +
  'ones', async (t) => {
  const { machine, controller, commit } = wired(10);
  const register = controller.registerBroker({
    brokerId: 1, clusterId: CLUSTER_ID, incarnationId: 'AAAAAAAAAAAAAAAAAAAAAB', listeners: [],
      rack: null, logDirs: [],
  }, 0);
  t.match(register, { ok: true, offset: 10, reply: { brokerEpoch: 10 } }, 'broker epoch = the ' +
    'predicted offset');
  const beat = controller.brokerHeartbeat({
    brokerId: 1, brokerEpoch: 10, currentMetadataOffset: 10, wantFence: false, wantShutDown: false,
  }, 0);
  t.match(beat, { ok: true, offset: 11, reply: { isFenced: false } }, 'the pending registration ' +
    'is known');
  const create = createTopic(controller, 'x');
  t.equal(create.offset, 12);
  t.equal(controller.pendingWrites, 3);
  t.ok(controller.image.topics.byName.has('x'), 'the view has the topic');
  t.notOk(controller.committedImage.topics.byName.has('x'), 'the committed image does not yet');
  if (!register.ok || !beat.ok) throw new Error('refused');
  commit(register);
  commit(beat);
  t.equal(controller.pendingWrites, 1);
  t.ok(controller.image.topics.byName.has('x'), 'still in the view while pending');
  commit(create);
  t.equal(controller.pendingWrites, 0);
  t.equal(controller.image, machine.image, 'caught up: the view is the committed image');
  t.equal(controller.nextOffset, 13);
});

t.test('a reply without records waits for the last offset written before it', async (t) => {
  const { controller } = wired(5);
  t.match(controller.deleteTopics({ names: ['none'] }), { ok: true, records: [], offset: 4 });
  t.match(controller.writeNoOp(), { ok: true, offset: 5 });
  t.match(controller.deleteTopics({ names: ['none'] }), { ok: true, records: [], offset: 5 });
});

t.test('deactivate drops the pending view; a standby refuses requests with ' +
  'NOT_CONTROLLER', async (t) => {
  const { controller } = wired(3);
  withBroker(controller);
  createTopic(controller, 'lost');
  t.ok(controller.image.topics.byName.has('lost'));
  controller.deactivate();
  t.notOk(controller.image.topics.byName.has('lost'));
  t.equal(controller.pendingWrites, 0);
  t.match(controller.createTopics([{ name: 'z', numPartitions: 1, replicationFactor: 1 }]), {
    ok: false, error: { error: 'NOT_CONTROLLER', message: 'This node is not the active ' +
      'controller.' },
  });
  t.same(controller.expireSessions(1e9), []);
});

t.test('activation must come after everything committed so far (KRaft waits for the epoch ' +
  'start)', async (t) => {
  const h = new ControllerHarness();
  h.addBroker(1);
  const standby = new QuorumController({ config: controllerConfig({ clusterId: CLUSTER_ID }),
    prng: createPrng(2) });
  standby.onCommitted(h.image);
  t.throws(() => standby.activate(0, h.image.provenance.offset), AssertionFailure);
  standby.activate(0, h.image.provenance.offset + 1);
  t.ok(standby.isActive);
});

t.test('a standby follows committed images only', async (t) => {
  const h = new ControllerHarness();
  h.addBroker(1);
  h.createTopic('a', 1, 1);
  const standby = new QuorumController({ config: controllerConfig({ clusterId: CLUSTER_ID }),
    prng: createPrng(2) });
  const machine = new MetadataStateMachine();
  machine.subscribe((_d, image) => standby.onCommitted(image));
  machine.apply(h.log);
  t.equal(standby.image, machine.image);
  t.notOk(standby.isActive);
});
