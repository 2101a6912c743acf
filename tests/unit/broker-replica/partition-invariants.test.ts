/**
 * The invariants written on a partition replica's fields are always-on asserts where those
 * fields change (partition.ts, purgatory.ts): each case here breaks one and must crash with an
 * AssertionFailure, never carry on with the bad state.
 */
import { join } from 'node:path';
import t from 'tap';
import { PartitionLog } from '../../../broker/log/index.js';
import {
  applyAlteredIsr, attachLog, clampHighWatermark, followerOf, makeFollower, makeLeader,
  maybeAdvanceHighWatermark, newPartition, recordFollowerFetch, setFollowerHighWatermark,
  setPendingIsr, syncFollowers, updateRegistration, type Partition, type Registration,
} from '../../../broker/replica/partition.js';
import { Purgatory, type DelayedOperation } from '../../../broker/replica/purgatory.js';
import { AssertionFailure } from '../../../lib/assert.js';
import { batch, tempDir } from './fixtures/harness.js';

function registration(fields: Partial<Registration> = {}): Registration {
  return { replicas: [1, 2], isr: [1, 2], removingReplicas: [], addingReplicas: [], leader: 1,
    leaderEpoch: 0, partitionEpoch: 0, ...fields };
}

/** Broker 1 leading orders-0 (replicas 1 and 2) over an open log holding `records` records. */
async function leader(t: { teardown(fn: () => unknown): void }, records = 3): Promise<Partition> {
  const log = await PartitionLog.open(join(tempDir(t), 'orders-0'));
  t.teardown(() => log.close());
  const p = newPartition('orders', 'T1', 0);
  makeLeader(p, 1, registration());
  syncFollowers(p, 0);
  attachLog(p, log);
  if (records > 0) log.appendAsLeader(batch(Array.from({ length: records }, () => 'v')), 0);
  return p;
}


t.test('the leader and partition epochs never go back', async (t) => {
  const p = newPartition('orders', 'T1', 0);
  makeLeader(p, 1, registration({ leaderEpoch: 3, partitionEpoch: 5 }));
  t.throws(() => makeFollower(p, 1, registration({ leader: 2, leaderEpoch: 2,
    partitionEpoch: 6 })), AssertionFailure, 'a leader epoch from the past');
  t.throws(() => updateRegistration(p, registration({ leaderEpoch: 3, partitionEpoch: 4 })),
    AssertionFailure, 'a partition epoch from the past');
  t.throws(() => applyAlteredIsr(p, [1], 5), AssertionFailure,
    'an AlterPartition answer not newer');
  t.equal(p.partitionEpoch, 5, 'nothing changed');
});

t.test('the ISR contains the leader while this broker leads', async (t) => {
  const p = newPartition('orders', 'T1', 0);
  t.throws(() => makeLeader(p, 1, registration({ isr: [2] })), AssertionFailure);
  t.throws(() => makeLeader(newPartition('orders', 'T1', 0), 1, registration({ leader: 2 })),
    AssertionFailure, 'made leader of a partition led by another broker');
  t.throws(() => makeFollower(newPartition('orders', 'T1', 0), 1, registration()), AssertionFailure,
    'made follower of itself');
  makeLeader(p, 1, registration());
  t.throws(() => applyAlteredIsr(p, [2], 1), AssertionFailure);
  t.throws(() => setPendingIsr(p, { kind: 'shrink', isr: [2] }), AssertionFailure,
    'a shrink never drops the leader');
});

t.test('a pending ISR change is one, on a leader, and really expands or shrinks', async (t) => {
  const follower = newPartition('orders', 'T1', 0);
  makeFollower(follower, 1, registration({ leader: 2 }));
  t.throws(() => setPendingIsr(follower, { kind: 'shrink', isr: [2] }), AssertionFailure,
    'on a follower');
  const p = newPartition('orders', 'T1', 0);
  makeLeader(p, 1, registration({ replicas: [1, 2, 3], isr: [1, 2] }));
  t.throws(() => setPendingIsr(p, { kind: 'expand', isr: [1] }), AssertionFailure,
    'an expand that drops a member');
  t.throws(() => setPendingIsr(p, { kind: 'shrink', isr: [1, 2] }), AssertionFailure,
    'a shrink that drops no one');
  setPendingIsr(p, { kind: 'expand', isr: [1, 2, 3] });
  t.throws(() => setPendingIsr(p, { kind: 'shrink', isr: [1] }), AssertionFailure,
    'a second change in flight');
  setPendingIsr(p, undefined);
  setPendingIsr(p, { kind: 'shrink', isr: [1] });
  t.same(p.pending, { kind: 'shrink', isr: [1] });
});

t.test('the leader high watermark stays within the log and never moves back', async (t) => {
  const p = await leader(t);
  const follower = followerOf(p, 2, 0);
  recordFollowerFetch(follower, 3, 3, 0, 1);
  t.ok(maybeAdvanceHighWatermark(p, 0, 1_000, 1));
  t.equal(p.highWatermark, 3);
  t.throws(() => setFollowerHighWatermark(p, 1), AssertionFailure, 'a lower HW on a leader');
  p.log!.truncateTo(1); // a leader never truncates: this is the bug the assert stops
  t.throws(() => clampHighWatermark(p), AssertionFailure, 'the log shrank under the leader HW');
});

t.test('a follower high watermark follows the leader within its own log', async (t) => {
  const p = await leader(t, 3);
  makeFollower(p, 1, registration({ leader: 2, leaderEpoch: 1, partitionEpoch: 1 }));
  setFollowerHighWatermark(p, 10);
  t.equal(p.highWatermark, 3, 'capped by the own log end');
  setFollowerHighWatermark(p, 1);
  t.equal(p.highWatermark, 1, 'a new leader may know less');
  t.equal(p.followers.size, 0, 'no follower records on a follower');
  t.equal(p.leaderEpochStartOffset, -1);
});

t.test('follower records: at most the leader log end, never for the leader itself', async (t) => {
  const p = await leader(t);
  t.throws(() => followerOf(p, 1, 0), AssertionFailure, 'the leader is no follower of itself');
  t.throws(() => recordFollowerFetch(followerOf(p, 2, 0), 4, 3, 0, 1), AssertionFailure,
    'a fetch offset past the leader log end');
  const log = p.log!;
  t.throws(() => attachLog(p, log), AssertionFailure, 'a log is attached once');
});

t.test('the purgatory parks an operation once and stays within its bound', async (t) => {
  const purgatory = new Purgatory<DelayedOperation>(1);
  const operation: DelayedOperation = {
    keys: ['orders-0'], tryComplete: () => false, forceComplete: () => undefined,
  };
  t.ok(purgatory.park(operation, 1_000));
  t.notOk(purgatory.park({ ...operation }, 1_000), 'over the bound: refused, not parked');
  purgatory.completeAll();
  t.ok(purgatory.park(operation, 1_000));
  const twice = new Purgatory<DelayedOperation>(2);
  t.ok(twice.park(operation, 1_000));
  t.throws(() => twice.park(operation, 1_000), AssertionFailure, 'the same operation twice');
  purgatory.completeAll();
  twice.completeAll();
  t.throws(() => new Purgatory(0), AssertionFailure, 'a bound of zero');
});
