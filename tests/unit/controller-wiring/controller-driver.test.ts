import t from 'tap';
import { ManualClock } from '../../../lib/clock.js';
import { createPrng } from '../../../lib/prng.js';
import {
  controllerConfig, decodeRecords, MetadataStateMachine, QuorumController,
  type ControllerResponse,
} from '../../../metadata/index.js';
import { EntryKind, Role, type Epoch } from '../../../raft/core/types.js';
import type {
  CommittedListener, LeaderAndEpoch, LeaderChangeListener, ProposalCallback,
} from '../../../raft/driver/index.js';
import { ProposalError } from '../../../raft/pending-proposals.js';
import type { RaftClient } from '../../../raft/raft-client.js';
import {
  ControllerDriver, type WriteOutcome,
} from '../../../server/controller/controller-driver.js';

const HEARTBEAT_MS = 100;
const IDLE_MS = 500;
const EMPTY_WRITE_TIMEOUT_MS = 1000;
const SESSION_TIMEOUT_MS = 300;

/** A Raft client by hand: the test says who leads and when submitted entries commit. */
class HandRaft implements RaftClient {
  leaderAndEpoch: LeaderAndEpoch = { role: Role.follower, epoch: 0, leaderId: -1 };
  appliedEndOffset = 0;
  logEndOffset = 0;
  readonly submitted: { readonly data: Uint8Array; readonly settle: ProposalCallback }[] = [];
  readonly #committed: CommittedListener[] = [];
  readonly #leaders: LeaderChangeListener[] = [];

  constructor(readonly machine: MetadataStateMachine) {}

  submit(data: Uint8Array, settle: ProposalCallback): void {
    this.submitted.push({ data, settle });
  }

  onCommitted(listener: CommittedListener): () => void {
    this.#committed.push(listener);
    return () => undefined;
  }

  onLeaderChange(listener: LeaderChangeListener): () => void {
    this.#leaders.push(listener);
    return () => undefined;
  }

  lead(epoch: Epoch): void {
    this.#change({ role: Role.leader, epoch, leaderId: 1 });
  }

  follow(epoch: Epoch, leaderId: number): void {
    this.#change({ role: Role.follower, epoch, leaderId });
  }

  /** Appends and commits every submitted entry, in order, in the current epoch. */
  commitAll(): void {
    const epoch = this.leaderAndEpoch.epoch;
    for (const { data, settle } of this.submitted.splice(0)) {
      const entry = { offset: this.logEndOffset++, epoch, kind: EntryKind.data, data };
      this.machine.apply([entry]);
      this.appliedEndOffset = this.logEndOffset;
      for (const listener of this.#committed) listener([entry], this.appliedEndOffset);
      settle({ offset: entry.offset, epoch });
    }
  }

  #change(leader: LeaderAndEpoch): void {
    this.leaderAndEpoch = leader;
    for (const listener of this.#leaders) listener(leader);
  }
}

function setUp() {
  const clock = new ManualClock(10_000);
  const machine = new MetadataStateMachine();
  const raft = new HandRaft(machine);
  const controller = new QuorumController({
    config: controllerConfig({ clusterId: 'cluster', brokerSessionTimeoutMs: SESSION_TIMEOUT_MS }),
    prng: createPrng(1),
    image: machine.image,
  });
  const lines: string[] = [];
  const driver = new ControllerDriver({
    raft, stateMachine: machine, controller, bootstrapMetadataVersionLevel: 21,
    heartbeatIntervalMs: HEARTBEAT_MS, idleIntervalMs: IDLE_MS,
    emptyWriteTimeoutMs: EMPTY_WRITE_TIMEOUT_MS, log: (line) => lines.push(line), clock,
  });
  return { clock, raft, controller, driver, lines };
}

function recordTypes(raft: HandRaft): string[] {
  return raft.submitted.flatMap(({ data }) => {
    const decoded = decodeRecords(data);
    return decoded.ok ? decoded.records.map((r) => r.type) : ['corrupt'];
  });
}

t.test('the controller follows leader changes, with no timer before it is active', async (t) => {
  const { clock, raft, controller, driver } = setUp();
  t.equal(clock.pending, 0, 'no polling timer');
  raft.lead(1);
  t.same(recordTypes(raft), ['FeatureLevelRecord'], 'a new cluster writes metadata.version');
  t.notOk(controller.isActive, 'active only once that committed');
  raft.commitAll();
  t.ok(controller.isActive);
  t.equal(driver.activations, 1);
  t.equal(clock.pending, 2, 'session expiry and NoOp timers');
  raft.follow(2, 3);
  t.notOk(controller.isActive, 'the leader change deactivates at once');
  t.equal(clock.pending, 0, 'and stops the timers');
  driver.close();
});

t.test('sessions expire on the injected clock and the NoOp goes out when idle', async (t) => {
  const { clock, raft, controller, driver, lines } = setUp();
  raft.lead(1);
  raft.commitAll();
  const registered = controller.registerBroker({
    brokerId: 7, clusterId: 'cluster', incarnationId: 'AAAAAAAAAAAAAAAAAAAAAA', listeners: [],
    rack: null, logDirs: [],
  }, clock.nowMs());
  let brokerEpoch = -1;
  driver.submit(registered, (outcome) => {
    t.match(outcome, { ok: true, offset: 1, epoch: 1 });
    if (outcome.ok) brokerEpoch = outcome.reply.brokerEpoch;
  });
  raft.commitAll();
  t.ok(brokerEpoch >= 0, 'registered');
  let fenced: boolean | undefined;
  driver.submit(controller.brokerHeartbeat({
    brokerId: 7, brokerEpoch, currentMetadataOffset: brokerEpoch, wantFence: false,
    wantShutDown: false,
  }, clock.nowMs()), (outcome) => {
    if (outcome.ok) fenced = outcome.reply.isFenced;
  });
  raft.commitAll();
  t.equal(fenced, false, 'unfenced by a heartbeat at its epoch');
  clock.advance(SESSION_TIMEOUT_MS + HEARTBEAT_MS);
  t.ok(lines.some((line) => line.includes('Fencing broker 7')), 'fenced without heartbeats');
  t.ok(recordTypes(raft).includes('BrokerRegistrationChangeRecord'));
  raft.commitAll();
  clock.advance(IDLE_MS);
  t.ok(recordTypes(raft).includes('NoOpRecord'), 'a NoOpRecord every idle interval');
  driver.close();
});

t.test('a write without records fails once its deadline passes on the clock', async (t) => {
  const { clock, raft, driver } = setUp();
  raft.lead(1);
  raft.commitAll();
  const waiting: ControllerResponse<string> = {
    ok: true, records: [], offset: raft.appliedEndOffset, reply: 'done',
  };
  const outcomes: WriteOutcome<string>[] = [];
  driver.submit(waiting, (outcome) => outcomes.push(outcome));
  clock.advance(EMPTY_WRITE_TIMEOUT_MS - 1);
  t.same(outcomes, [], 'still waiting');
  clock.advance(1);
  t.match(outcomes, [{ ok: false, error: { error: 'NOT_CONTROLLER' } }]);
  const answered: WriteOutcome<string>[] = [];
  driver.submit({ ...waiting, offset: raft.appliedEndOffset - 1 }, (o) => answered.push(o));
  t.match(answered, [{ ok: true, reply: 'done' }], 'an offset already applied answers at once');
  driver.close();
});

t.test('a proposal refused at once deactivates without looping', async (t) => {
  const { raft, controller, driver, lines } = setUp();
  raft.lead(1);
  raft.commitAll();
  t.ok(controller.isActive);
  // From now on every submit is refused synchronously (the buffer is full, say).
  raft.submit = (_data, settle) => settle(new ProposalError('POLICY_VIOLATION', 'full'));
  const outcomes: WriteOutcome<unknown>[] = [];
  driver.submit(controller.writeNoOp(), (outcome) => outcomes.push(outcome));
  t.equal(outcomes.length, 1);
  t.equal(outcomes[0]?.ok, false);
  t.ok(lines.some((line) => line === 'Deactivated the controller: proposal failed: ' +
    'POLICY_VIOLATION'));
  t.ok(controller.isActive, 'and, caught up, it activates again');
  t.equal(driver.activations, 2);
  driver.close();
});
