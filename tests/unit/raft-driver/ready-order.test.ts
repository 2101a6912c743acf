import t from 'tap';
import { CommandKind } from '../../../raft/driver/index.js';
import type { DriverCommand } from '../../../raft/driver/index.js';
import { entry, fetchResponse, messagesOfType } from '../raft-core/harness.js';
import { driverFor, runInstantly } from './fixtures.js';

const kinds = (commands: readonly DriverCommand[]): string[] => commands.map((c) => c.kind);

function follower() {
  const fixture = driverFor({ nodeId: 2, voters: [1, 2, 3] });
  runInstantly(fixture.driver);
  fixture.driver.step({
    from: 1, to: 2, body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
  });
  return fixture;
}

t.test('the quorum state is durable before any message leaves (Raft thesis §3.8)', async (t) => {
  const { driver } = follower();
  const persist = driver.next();
  t.equal(persist?.kind, CommandKind.persistQuorumState);
  t.same(persist?.kind === CommandKind.persistQuorumState && persist.state,
    { epoch: 1, votedId: -1, leaderId: 1 });
  t.equal(driver.next(), undefined, 'nothing more until the write completed');
  t.ok(driver.busy);
  driver.completed(persist as never);
  const after = runInstantly(driver);
  t.ok(after.length > 0 && after.every((c) => c.kind === CommandKind.send), 'then the sends');
  t.notOk(driver.busy);
});

t.test('entries are applied and acknowledged only once their fsync completed', async (t) => {
  const { driver, machine } = follower();
  runInstantly(driver);
  driver.step(fetchResponse(1, 2, 1, { entries: [entry(0, 1), entry(1, 1)], highWatermark: 1 }));
  const write = driver.next();
  t.equal(write?.kind, CommandKind.writeLog);
  if (write?.kind !== CommandKind.writeLog) return;
  t.same(write.append.map((e) => e.offset), [0, 1]);
  t.equal(write.sync, true);
  t.equal(driver.next(), undefined, 'the acknowledgement waits for the fsync');
  t.same(machine.applied, [], 'nothing applied before the fsync');
  driver.completed(write);
  const sends = runInstantly(driver);
  t.same(kinds(sends), [CommandKind.send]);
  const [fetch] = messagesOfType(sends.flatMap((c) => c.kind === CommandKind.send
    ? c.messages : []), 'FetchRequest');
  t.equal(fetch?.body.fetchOffset, 2, 'the fetch acknowledges both entries');
  t.same(machine.applied.map((e) => e.offset), [0], 'then the committed entry is applied');
  t.equal(driver.appliedEndOffset, 1);
});

t.test('a snapshot is durable before the log is reset, and loaded after the fsync', async (t) => {
  const { driver, machine } = follower();
  runInstantly(driver);
  const id = { endOffset: 10, epoch: 1 };
  driver.step(fetchResponse(1, 2, 1, { highWatermark: 10, logStartOffset: 10, snapshotId: id }));
  runInstantly(driver);
  const bytes = new TextEncoder().encode('snapshot bytes');
  driver.step({ from: 1, to: 2, body: {
    type: 'FetchSnapshotResponse', epoch: 1, leaderId: 1, error: 'NONE', snapshotId: id,
    size: bytes.byteLength, position: 0, bytes,
  } });
  const commands: DriverCommand[] = [];
  for (let command = driver.next(); command !== undefined; command = driver.next()) {
    commands.push(command);
    if (command.kind === CommandKind.send) continue;
    t.same(machine.restored, [], `not loaded while ${command.kind} runs`);
    driver.completed(command);
  }
  const durable = commands.filter((c) => c.kind !== CommandKind.send);
  t.same(kinds(durable), [CommandKind.writeSnapshot, CommandKind.writeLog]);
  const [snapshot, log] = durable;
  t.ok(snapshot?.kind === CommandKind.writeSnapshot && snapshot.reason === 'install');
  t.ok(log?.kind === CommandKind.writeLog && log.resetTo === 10 && log.sync);
  t.same(machine.restored, [id], 'loaded once the log reset is durable');
  t.equal(driver.appliedEndOffset, 10);
});

t.test('completing a command that is not outstanding is a bug', async (t) => {
  const { driver } = follower();
  const persist = driver.next()!;
  t.throws(() => driver.completed({ ...persist } as never), /not outstanding/);
});

t.test('a callback may not run the loop from inside it', async (t) => {
  const { driver } = driverFor({ nodeId: 2, voters: [1, 2, 3] });
  driver.onLeaderChange(() => driver.next());
  driver.step({
    from: 1, to: 2, body: { type: 'BeginQuorumEpochRequest', epoch: 1, leaderId: 1 },
  });
  t.throws(() => runInstantly(driver), /called from a callback/);
});
