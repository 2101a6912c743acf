import t from 'tap';
import { CommandKind, type ProposalResult } from '../../../raft/driver/index.js';
import { ProposalError } from '../../../raft/pending-proposals.js';
import { TEST_CONFIG, TestCluster, value } from '../raft-core/harness.js';
import { driverFor, runInstantly } from './fixtures.js';

/** A single voter leads at once: proposals commit as soon as its own fsync completes. */
function leader(limits = {}) {
  const fixture = driverFor({ nodeId: 1, voters: [1], limits });
  runInstantly(fixture.driver);
  return fixture;
}

function collect(): { results: ProposalResult[]; settle: (r: ProposalResult) => void } {
  const results: ProposalResult[] = [];
  return { results, settle: (result) => results.push(result) };
}

t.test('proposals of one turn become one append and one fsync (group commit)', async (t) => {
  const { driver } = leader({ maxBatchBytes: 8 });
  const { results, settle } = collect();
  for (let i = 0; i < 5; i++) driver.propose(value(i), settle);
  t.same(driver.proposals, { buffered: 5, pending: 0 }, 'buffered until the next Ready');
  const commands = runInstantly(driver);
  const writes = commands.filter((c) => c.kind === CommandKind.writeLog);
  t.equal(writes.length, 1, 'one write');
  const [write] = writes;
  t.ok(write?.kind === CommandKind.writeLog && write.sync);
  t.same(write?.kind === CommandKind.writeLog && write.append.map((e) => e.offset),
    [1, 2, 3, 4, 5], 'in proposal order, after the epoch\'s LeaderChange entry');
  t.same(results.map((r) => r instanceof ProposalError ? r.code : r.offset), [1, 2, 3, 4, 5]);
  t.same(driver.proposals, { buffered: 0, pending: 0 });
});

t.test('a batch handed to the core never exceeds maxBatchBytes', async (t) => {
  // The core takes or refuses a batch whole (maxUncommittedBytes): with room for 8 bytes,
  // three 4-byte proposals in batches of 8 bytes are [taken, taken] [refused]; in one batch
  // of 12 bytes all three are refused.
  const outcomes = (maxBatchBytes: number): string[] => {
    const { driver } = driverFor({
      nodeId: 1, voters: [1], limits: { maxBatchBytes }, config: { maxUncommittedBytes: 8 },
    });
    runInstantly(driver);
    const outcome: string[] = [];
    for (let i = 0; i < 3; i++) {
      driver.propose(value(i), (r) => {
        outcome[i] = r instanceof ProposalError ? r.code : 'COMMITTED';
      });
    }
    runInstantly(driver);
    return outcome;
  };
  t.same(outcomes(8), ['COMMITTED', 'COMMITTED', 'THROTTLING_QUOTA_EXCEEDED']);
  t.same(outcomes(16),
    ['THROTTLING_QUOTA_EXCEEDED', 'THROTTLING_QUOTA_EXCEEDED', 'THROTTLING_QUOTA_EXCEEDED']);
});

t.test('a node that does not lead refuses at once, with the leader hint', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  const { results, settle } = collect();
  cluster.node(2).driver.propose(value(1), settle);
  t.equal(results.length, 1, 'settled before propose() returned');
  const [error] = results;
  t.ok(error instanceof ProposalError);
  t.match(error, { code: 'NOT_LEADER_OR_FOLLOWER', leaderId: 1, retriable: true });
});

t.test('a full buffer pushes back with THROTTLING_QUOTA_EXCEEDED (retriable backpressure)', async (t) => {
  const { driver } = leader({ maxBufferedProposalBytes: 8 });
  const { results, settle } = collect();
  for (let i = 0; i < 3; i++) driver.propose(value(i), settle);
  t.equal(results.length, 1);
  t.match(results[0], { code: 'THROTTLING_QUOTA_EXCEEDED', retriable: true });
  runInstantly(driver);
  t.equal(results.length, 3, 'the two that fit commit');
});

t.test('a proposal not committed within proposalTimeoutTicks times out (ambiguous)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3], limits: { proposalTimeoutTicks: 5 } });
  cluster.elect(1);
  cluster.crash(2);
  cluster.crash(3);
  const { results, settle } = collect();
  const node = cluster.node(1);
  node.driver.propose(value(1), settle);
  cluster.process();
  for (let tick = 1; tick < 5; tick++) {
    cluster.tick(1, [1]);
    t.equal(results.length, 0, `pending at tick ${tick}`);
  }
  cluster.tick(1, [1]);
  t.equal(results.length, 1);
  t.match(results[0], { code: 'REQUEST_TIMED_OUT' });
});

t.test('an entry overwritten by a new leader fails its proposal (Raft §5.4.2)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  cluster.isolate(1);
  const { results, settle } = collect();
  cluster.node(1).driver.propose(value(1), settle);
  cluster.process();
  cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks, [2, 3]);
  const [next] = cluster.leaders().filter((id) => id !== 1);
  cluster.propose(next!, 7, 8, 9);
  cluster.heal();
  cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks);
  t.equal(results.length, 1);
  t.match(results[0], { code: 'NOT_LEADER_OR_FOLLOWER' });
  t.match((results[0] as ProposalError).message, /overwrote/);
});

t.test('a snapshot install fails every pending proposal (its log is gone)', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  cluster.isolate(1);
  const { results, settle } = collect();
  for (let i = 0; i < 5; i++) cluster.node(1).driver.propose(value(i), settle);
  cluster.process();
  t.equal(cluster.node(1).driver.proposals.pending, 5);
  cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks, [2, 3]);
  const [next] = cluster.leaders().filter((id) => id !== 1);
  for (let i = 0; i < 8; i++) cluster.propose(next!, 100 + i);
  cluster.node(next!).takeSnapshot(0);
  cluster.heal();
  cluster.tick(4 * TEST_CONFIG.fetchTimeoutTicks);
  t.ok(cluster.node(1).readies.some((r) => r.installSnapshot !== undefined), 'installed');
  t.equal(results.length, 5);
  t.ok(results.every((r) => r instanceof ProposalError && /snapshot/.test(r.message)),
    'failed by the install');
  t.equal(cluster.node(1).driver.proposals.pending, 0);
});

t.test('close() fails buffered and pending proposals and stops the loop', async (t) => {
  const cluster = new TestCluster({ voters: [1, 2, 3] });
  cluster.elect(1);
  cluster.crash(2);
  cluster.crash(3);
  const { results, settle } = collect();
  const driver = cluster.node(1).driver;
  driver.propose(value(1), settle);
  runInstantly(driver);
  driver.propose(value(2), settle);
  t.same(driver.proposals, { buffered: 1, pending: 1 });
  driver.close(new ProposalError('SHUTTING_DOWN', 'closing'));
  t.same(results.map((r) => r instanceof ProposalError && r.code),
    ['SHUTTING_DOWN', 'SHUTTING_DOWN']);
  driver.propose(value(3), settle);
  t.match(results[2], { code: 'SHUTTING_DOWN' });
  driver.step({
    from: 2, to: 1, body: { type: 'BeginQuorumEpochResponse', epoch: 1, error: 'NONE' },
  });
  t.equal(driver.next(), undefined);
});
