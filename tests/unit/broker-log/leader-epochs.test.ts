/**
 * The leader epoch cache (KIP-101, KIP-279) as PartitionLog keeps it, and follower appends.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { LeaderEpochCache, PartitionLog } from '../../../broker/log/index.js';
import { makeBatch, tempDir } from './fixtures/helpers.js';

/** Epoch 1 at offsets 0-9, epoch 3 at 10-19, epoch 4 at 20-29 (batches of 5 records). */
async function leaderLog(dir: string): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir, {});
  for (const epoch of [1, 1, 3, 3, 4, 4]) log.appendAsLeader(makeBatch({ records: 5 }), epoch);
  return log;
}

t.test('endOffsetForEpoch answers as OffsetsForLeaderEpoch (KIP-279)', async (t) => {
  const log = await leaderLog(tempDir(t));
  t.same(log.endOffsetForEpoch(4), { epoch: 4, endOffset: 30 }, 'latest epoch: the log end');
  t.same(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 20 }, 'known: where the next starts');
  t.same(log.endOffsetForEpoch(2), { epoch: 1, endOffset: 10 }, 'unknown: the largest below');
  t.same(log.endOffsetForEpoch(0), { epoch: 0, endOffset: 0 }, 'below all: the first start');
  t.same(log.endOffsetForEpoch(5), { epoch: -1, endOffset: -1 }, 'above all: UNDEFINED');
  t.same(log.endOffsetForEpoch(-1), { epoch: -1, endOffset: -1 });
  t.equal(log.latestEpoch(), 4);
  log.close();
});

t.test('an empty log answers UNDEFINED for every epoch', async (t) => {
  const log = await PartitionLog.open(tempDir(t), {});
  t.same(log.endOffsetForEpoch(0), { epoch: -1, endOffset: -1 });
  log.close();
});

t.test('the cache is checkpointed in Kafka\'s text format and survives a reopen', async (t) => {
  const dir = tempDir(t);
  (await leaderLog(dir)).close();
  t.equal(readFileSync(join(dir, 'leader-epoch-checkpoint'), 'utf8'), '0\n3\n1 0\n3 10\n4 20\n');
  const log = await PartitionLog.open(dir, {});
  t.same(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 20 });
  log.close();
});

t.test('a missing or unreadable checkpoint is rebuilt from the batches in the log', async (t) => {
  const dir = tempDir(t);
  (await leaderLog(dir)).close();
  rmSync(join(dir, 'leader-epoch-checkpoint'));
  const rebuilt = await PartitionLog.open(dir, {});
  t.same(rebuilt.epochEntries(), [
    { epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 10 }, { epoch: 4, startOffset: 20 },
  ]);
  rebuilt.close();
  writeFileSync(join(dir, 'leader-epoch-checkpoint'), '0\n7\n1 0\n');
  const lines: string[] = [];
  const again = await PartitionLog.open(dir, {}, { log: (line) => lines.push(line) });
  t.match(lines, [/unreadable/]);
  t.equal(again.latestEpoch(), 4);
  again.close();
});

t.test('a checkpoint ahead of the log (written before a lost batch) is cut to the log',
  async (t) => {
  const dir = tempDir(t);
  (await leaderLog(dir)).close();
  writeFileSync(join(dir, 'leader-epoch-checkpoint'), '0\n4\n1 0\n3 10\n4 20\n6 30\n');
  const log = await PartitionLog.open(dir, {});
  t.equal(log.latestEpoch(), 4);
  log.close();
});

t.test('truncation forgets epochs that started after the cut', async (t) => {
  const log = await leaderLog(tempDir(t));
  log.truncateTo(20);
  t.equal(log.latestEpoch(), 3);
  t.same(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 20 });
  log.truncateFullyAndStartAt(50);
  t.same(log.endOffsetForEpoch(3), { epoch: -1, endOffset: -1 }, 'cleared');
  log.close();
});

t.test('a follower appends the leader\'s batches and learns their epochs', async (t) => {
  const leader = await leaderLog(tempDir(t));
  const follower = await PartitionLog.open(tempDir(t), {});
  const fetched = leader.read(0, 1 << 20, leader.logEndOffset);
  if ('error' in fetched) throw new Error('out of range');
  t.same(follower.appendAsFollower(fetched.bytes), { lastOffset: 29 });
  t.same(follower.epochEntries(), leader.epochEntries());
  t.equal(follower.logEndOffset, 30);
  leader.close();
  follower.close();
});

t.test('a follower append that does not start at the log end is rejected', async (t) => {
  const follower = await PartitionLog.open(tempDir(t), {});
  follower.appendAsFollower(makeBatch({ records: 5, baseOffset: 0, epoch: 2 }));
  t.throws(
    () => follower.appendAsFollower(makeBatch({ records: 1, baseOffset: 7, epoch: 2 })),
    /follower append at offset 7, expected 5/,
  );
  t.equal(follower.logEndOffset, 5, 'nothing written');
  follower.close();
});

t.test('the cache removes entries a new leader contradicts (Kafka assign)', async (t) => {
  const cache = new LeaderEpochCache([{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 10 }]);
  t.notOk(cache.assign(3, 15), 'same epoch, later offset: nothing new');
  t.ok(cache.assign(2, 8));
  t.same(cache.entries(), [{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 8 }]);
  t.ok(cache.truncateFromStart(9));
  t.same(cache.entries(), [{ epoch: 2, startOffset: 9 }]);
  t.same(LeaderEpochCache.parseCheckpoint(cache.toCheckpointText()), cache);
});
