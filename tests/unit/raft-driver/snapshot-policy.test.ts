import t from 'tap';
import { CommandKind, everyBytesPolicy } from '../../../raft/driver/index.js';
import { entry, value } from '../raft-core/harness.js';
import { driverFor, runInstantly } from './fixtures.js';

t.test('everyBytesPolicy counts data bytes since the last snapshot', async (t) => {
  const policy = everyBytesPolicy(10, 3);
  t.equal(policy.afterApply([entry(0, 1), entry(1, 1)], 2), undefined, '8 bytes');
  t.equal(policy.afterApply([entry(2, 1)], 3), 3, '12 bytes: due, retaining 3 entries');
  policy.reset(3);
  t.equal(policy.afterApply([entry(3, 1)], 4), undefined, 'counting again from the snapshot');
});

t.test('a due snapshot is written durably, then the log keeps retainEntries behind it',
  async (t) => {
    const { driver } = driverFor({ nodeId: 1, voters: [1], policy: everyBytesPolicy(12, 1) });
    runInstantly(driver);
    const settled: unknown[] = [];
    for (let i = 0; i < 3; i++) driver.propose(value(i), (r) => settled.push(r));
    const commands: string[] = [];
    for (let command = driver.next(); command !== undefined; command = driver.next()) {
      commands.push(command.kind);
      if (command.kind === CommandKind.send) continue;
      if (command.kind === CommandKind.writeSnapshot) {
        t.equal(command.reason, 'create');
        t.same(command.id, { endOffset: 4, epoch: 1 }, 'at the applied end');
        t.equal(driver.core.logStartOffset, 0, 'the log is trimmed only once it is durable');
      }
      driver.completed(command);
    }
    t.same(commands, [CommandKind.writeLog, CommandKind.writeSnapshot, CommandKind.writeLog]);
    t.equal(settled.length, 3, 'the proposals were settled before the snapshot');
    t.equal(driver.core.logStartOffset, 3);
    t.same(driver.core.snapshotId, { endOffset: 4, epoch: 1 });
  });

t.test('requestSnapshot takes one before the next Ready', async (t) => {
  const { driver } = driverFor({ nodeId: 1, voters: [1] });
  runInstantly(driver);
  driver.requestSnapshot(0);
  const command = driver.next();
  t.ok(command?.kind === CommandKind.writeSnapshot && command.id.endOffset === 1);
  t.equal(driver.next(), undefined, 'waiting for it');
  driver.completed(command as never);
  t.equal(driver.core.logStartOffset, 1);
});
