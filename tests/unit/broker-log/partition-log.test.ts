/**
 * PartitionLog: appends, reads for fetches, lookups by offset and time across segments, rolling,
 * truncation, retention and flushing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  isOffsetOutOfRange,
  PartitionLog,
  type LogReadInfo,
  type OffsetOutOfRange,
} from '../../../broker/log/index.js';
import { filesIn, headersIn, makeBatch, offsetRanges, tempDir } from './fixtures/helpers.js';

function records(result: LogReadInfo | OffsetOutOfRange): LogReadInfo {
  if (isOffsetOutOfRange(result)) throw new Error('unexpected OFFSET_OUT_OF_RANGE');
  return result;
}

/** Appends batches of `sizes[i]` records each, all in `epoch`. */
function appendAll(log: PartitionLog, sizes: number[], epoch = 0, payloadBytes = 20): void {
  for (const count of sizes) log.appendAsLeader(makeBatch({ records: count, payloadBytes }), epoch);
}

t.test('batches read back as the same bytes with the offsets and epoch the leader stamped',
  async (t) => {
  const log = await PartitionLog.open(join(tempDir(t), 'orders-0'), {});
  const sent = [makeBatch({ records: 3 }), makeBatch({ records: 2 }), makeBatch({ records: 1 })];
  const infos = sent.map((batch) => log.appendAsLeader(batch, 7));
  t.same(infos.map((i) => [i.baseOffset, i.lastOffset]), [[0, 2], [3, 4], [5, 5]]);
  t.equal(log.logEndOffset, 6);
  const read = records(log.read(0, 1 << 20, log.logEndOffset));
  t.equal(read.firstOffset, 0);
  t.same(Buffer.from(read.bytes), Buffer.concat(sent), 'stamped in place, stored as is');
  t.same(headersIn(read.bytes).map((h) => h.partitionLeaderEpoch), [7, 7, 7]);
  log.close();
});

t.test('several concatenated batches append in one call with consecutive offsets', async (t) => {
  const log = await PartitionLog.open(tempDir(t), {});
  const both = Buffer.concat([makeBatch({ records: 2 }), makeBatch({ records: 4 })]);
  const info = log.appendAsLeader(both, 1);
  t.same([info.baseOffset, info.lastOffset], [0, 5]);
  t.same(offsetRanges(records(log.read(0, 1 << 20, 6)).bytes), [[0, 1], [2, 5]]);
  log.close();
});

t.test('a fetch from inside a batch returns the whole batch that holds the offset', async (t) => {
  const log = await PartitionLog.open(tempDir(t), {});
  appendAll(log, [5, 5, 5]);
  const read = records(log.read(7, 1 << 20, 15));
  t.equal(read.firstOffset, 5);
  t.same(offsetRanges(read.bytes), [[5, 9], [10, 14]]);
  log.close();
});

t.test('a fetch returns only batches entirely below maxOffset (the high watermark)', async (t) => {
  const log = await PartitionLog.open(tempDir(t), {});
  appendAll(log, [5, 5, 5]);
  t.same(offsetRanges(records(log.read(0, 1 << 20, 10)).bytes), [[0, 4], [5, 9]]);
  t.same(offsetRanges(records(log.read(0, 1 << 20, 12)).bytes), [[0, 4], [5, 9]], 'cut mid-batch');
  const crossing = records(log.read(10, 1 << 20, 12));
  t.equal(crossing.bytes.length, 0, 'the batch holding maxOffset is not returned');
  t.equal(crossing.firstOffset, 10);
  log.close();
});

t.test('the first batch comes back even when larger than maxBytes (KIP-74)', async (t) => {
  const log = await PartitionLog.open(tempDir(t), {});
  appendAll(log, [2, 2, 2], 0, 500);
  const one = records(log.read(0, 10, 6));
  t.same(offsetRanges(one.bytes), [[0, 1]]);
  const batchBytes = one.bytes.length;
  const two = records(log.read(0, batchBytes * 2 + 100, 6));
  t.same(offsetRanges(two.bytes), [[0, 1], [2, 3]], 'maxBytes ends at a whole batch');
  log.close();
});

t.test('a fetch outside [logStartOffset, logEndOffset] is OFFSET_OUT_OF_RANGE, not an error',
  async (t) => {
  const log = await PartitionLog.open(tempDir(t), {});
  appendAll(log, [3]);
  t.same(log.read(4, 100, 3), { error: 'OFFSET_OUT_OF_RANGE', logStartOffset: 0, logEndOffset: 3 });
  const atEnd = records(log.read(3, 100, 3));
  t.same([atEnd.bytes.length, atEnd.firstOffset], [0, 3], 'at the log end: empty, in range');
  log.truncateFullyAndStartAt(100);
  t.ok(isOffsetOutOfRange(log.read(50, 100, 100)), 'below the log start');
  log.close();
});

t.test('the log rolls by size, names segments by base offset and finds offsets in all of them',
  async (t) => {
  const dir = tempDir(t);
  const batchBytes = makeBatch({ records: 2, payloadBytes: 40 }).length;
  const config = { segmentBytes: batchBytes * 10, indexIntervalBytes: batchBytes * 2 };
  const log = await PartitionLog.open(dir, config);
  appendAll(log, Array<number>(35).fill(2), 0, 40);
  t.same(log.segmentBaseOffsets(), [0, 20, 40, 60]);
  t.ok(filesIn(dir).includes('00000000000000000020.log'));
  t.equal(statSync(join(dir, '00000000000000000000.log')).size, batchBytes * 10);
  for (let offset = 0; offset < 70; offset++) {
    const read = records(log.read(offset, 1, 70));
    t.equal(read.firstOffset, offset - (offset % 2), `offset ${offset}`);
  }
  // A fetch never spans segments (as Kafka).
  t.same(offsetRanges(records(log.read(18, 1 << 20, 70)).bytes), [[18, 19]]);
  // An entry once more than indexIntervalBytes were appended since the last (Kafka's rule):
  // before batches 3, 6 and 9 of each 10-batch segment.
  t.equal(statSync(join(dir, '00000000000000000000.index')).size, 3 * 8, 'sparse entries');
  log.close();
  const reopened = await PartitionLog.open(dir, config);
  t.same(reopened.recovery, { bytesTruncated: 0, segmentsDeleted: 0, indexesRebuilt: 0 });
  t.equal(reopened.logEndOffset, 70);
  t.equal(records(reopened.read(55, 1, 70)).firstOffset, 54);
  reopened.close();
});

t.test('a batch larger than a segment gets a segment of its own', async (t) => {
  const log = await PartitionLog.open(tempDir(t), { segmentBytes: 100 });
  appendAll(log, [1, 1, 1], 0, 200);
  t.same(log.segmentBaseOffsets(), [0, 1, 2]);
  log.close();
});

t.test('the log rolls when its data spans more than log.roll.ms', async (t) => {
  const log = await PartitionLog.open(tempDir(t), { segmentMs: 1000 });
  log.appendAsLeader(makeBatch({ baseTimestamp: 10_000 }), 0);
  log.appendAsLeader(makeBatch({ baseTimestamp: 10_900 }), 0);
  t.same(log.segmentBaseOffsets(), [0]);
  log.appendAsLeader(makeBatch({ baseTimestamp: 11_001 }), 0);
  t.same(log.segmentBaseOffsets(), [0, 2]);
  log.close();
});

t.test('offsetForTimestamp finds the first batch whose maxTimestamp reaches the time',
  async (t) => {
  const dir = tempDir(t);
  const config = { segmentBytes: 400, indexIntervalBytes: 100 };
  const log = await PartitionLog.open(dir, config);
  const times = [100, 200, 150, 300, 400, 400, 500, 700, 600, 800];
  for (const time of times) log.appendAsLeader(makeBatch({ records: 2, baseTimestamp: time }), 0);
  t.ok(log.segmentCount > 2);
  const check = (l: PartitionLog) => {
    t.same(l.offsetForTimestamp(0), { offset: 0, timestampMs: 100 });
    t.same(l.offsetForTimestamp(160), { offset: 2, timestampMs: 200 });
    t.same(l.offsetForTimestamp(250), { offset: 6, timestampMs: 300 });
    t.same(l.offsetForTimestamp(400), { offset: 8, timestampMs: 400 });
    t.same(l.offsetForTimestamp(650), { offset: 14, timestampMs: 700 });
    t.same(l.offsetForTimestamp(800), { offset: 18, timestampMs: 800 });
    t.equal(l.offsetForTimestamp(801), undefined, 'after the last timestamp');
  };
  check(log);
  log.close();
  const reopened = await PartitionLog.open(dir, config);
  check(reopened);
  reopened.close();
});

t.test('truncateTo across a segment boundary deletes later segments and appends continue',
  async (t) => {
  const dir = tempDir(t);
  const config = { segmentBytes: makeBatch({ records: 2 }).length * 3 };
  const log = await PartitionLog.open(dir, config);
  appendAll(log, [2, 2, 2, 2, 2, 2, 2], 1);
  appendAll(log, [2], 2);
  t.same(log.segmentBaseOffsets(), [0, 6, 12]);
  log.truncateTo(5);
  t.equal(log.logEndOffset, 4, 'the batch holding offset 5 goes whole');
  t.same(log.segmentBaseOffsets(), [0]);
  t.notOk(existsSync(join(dir, '00000000000000000006.log')));
  t.equal(log.latestEpoch(), 1, 'epoch 2 started after the cut');
  log.appendAsLeader(makeBatch({ records: 3 }), 3);
  t.same(offsetRanges(records(log.read(0, 1 << 20, 7)).bytes), [[0, 1], [2, 3], [4, 6]]);
  log.close();
  const reopened = await PartitionLog.open(dir, config);
  t.equal(reopened.logEndOffset, 7);
  t.same(reopened.epochEntries(), [{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 4 }]);
  reopened.close();
});

t.test('truncateTo at a segment base empties that segment and keeps it active', async (t) => {
  const config = { segmentBytes: makeBatch({ records: 2 }).length * 2 };
  const log = await PartitionLog.open(tempDir(t), config);
  appendAll(log, [2, 2, 2, 2, 2]);
  t.same(log.segmentBaseOffsets(), [0, 4, 8]);
  log.truncateTo(4);
  t.same([log.logEndOffset, log.segmentBaseOffsets()], [4, [0, 4]]);
  appendAll(log, [1]);
  t.same(offsetRanges(records(log.read(4, 100, 5)).bytes), [[4, 4]]);
  log.close();
});

t.test('retention by size deletes the oldest segments, never the active one', async (t) => {
  const batchBytes = makeBatch({ records: 1 }).length;
  const log = await PartitionLog.open(tempDir(t), {
    segmentBytes: batchBytes * 2, retentionBytes: batchBytes * 3,
  });
  appendAll(log, Array<number>(7).fill(1));
  t.same(log.segmentBaseOffsets(), [0, 2, 4, 6]);
  t.equal(log.deleteRetainedSegments(0), 2, '7 batches over a 3-batch limit: two segments go');
  t.same(log.segmentBaseOffsets(), [4, 6]);
  t.equal(log.logStartOffset, 4);
  t.ok(isOffsetOutOfRange(log.read(3, 100, 7)));
  t.equal(log.deleteRetainedSegments(0), 0);
  log.close();
});

t.test('retention by time deletes segments whose largest timestamp is too old', async (t) => {
  const batchBytes = makeBatch({ records: 1 }).length;
  const log = await PartitionLog.open(tempDir(t), {
    segmentBytes: batchBytes * 2, retentionMs: 1000,
  });
  for (const time of [100, 200, 300, 400, 500]) {
    log.appendAsLeader(makeBatch({ baseTimestamp: time }), 0);
  }
  t.same(log.segmentBaseOffsets(), [0, 2, 4]);
  t.equal(log.deleteRetainedSegments(1200), 0, 'segment 0 is 1000 ms old: kept');
  t.equal(log.deleteRetainedSegments(1201), 1);
  t.equal(log.deleteRetainedSegments(100_000), 1, 'never the active segment');
  t.same(log.segmentBaseOffsets(), [4]);
  t.equal(log.logStartOffset, 4);
  log.close();
});

t.test('retention keeps segments holding offsets at or past the high watermark', async (t) => {
  const batchBytes = makeBatch({ records: 1 }).length;
  const log = await PartitionLog.open(tempDir(t), { segmentBytes: batchBytes * 2, retentionMs: 0 });
  appendAll(log, [1, 1, 1, 1, 1]);
  t.equal(log.deleteRetainedSegments(1_000_000, 3), 1);
  t.same(log.segmentBaseOffsets(), [2, 4]);
  log.close();
});

t.test('with log.flush.interval.messages=1 every append is fsynced before it returns',
  async (t) => {
  let fsyncs = 0;
  const fsync = () => void fsyncs++;
  const log = await PartitionLog.open(tempDir(t), { flushIntervalMessages: 1 }, { fsync });
  log.appendAsLeader(makeBatch(), 0);
  const before = fsyncs;
  log.appendAsLeader(makeBatch(), 0);
  t.equal(fsyncs, before + 1, 'one fsync for the append, same epoch: no checkpoint write');
  log.close();

  let lazyFsyncs = 0;
  const lazy = await PartitionLog.open(tempDir(t), {}, { fsync: () => void lazyFsyncs++ });
  lazy.appendAsLeader(makeBatch(), 0);
  const lazyBefore = lazyFsyncs;
  for (let i = 0; i < 10; i++) lazy.appendAsLeader(makeBatch(), 0);
  t.equal(lazyFsyncs, lazyBefore, 'by default appends never fsync');
  lazy.close();
});

t.test('log.flush.interval.ms flushes once the last flush is old enough', async (t) => {
  let now = 0;
  let fsyncs = 0;
  const log = await PartitionLog.open(tempDir(t), { flushIntervalMs: 100 }, {
    nowMs: () => now, fsync: () => void fsyncs++,
  });
  log.appendAsLeader(makeBatch(), 0);
  const before = fsyncs;
  t.notOk(log.flushIfNeeded(50));
  now = 100;
  t.ok(log.flushIfNeeded());
  t.equal(fsyncs, before + 1);
  t.notOk(log.flushIfNeeded(), 'nothing unflushed');
  log.close();
});

t.test('delete removes the partition directory', async (t) => {
  const dir = join(tempDir(t), 'gone-3');
  const log = await PartitionLog.open(dir, {});
  appendAll(log, [1]);
  await log.delete();
  t.notOk(existsSync(dir));
});

t.test('close leaves a clean-shutdown marker that the next open consumes', async (t) => {
  const dir = tempDir(t);
  const log = await PartitionLog.open(dir, {});
  appendAll(log, [1]);
  log.close();
  t.ok(existsSync(join(dir, 'clean-shutdown')));
  const reopened = await PartitionLog.open(dir, {});
  t.notOk(existsSync(join(dir, 'clean-shutdown')));
  t.equal(readFileSync(join(dir, 'leader-epoch-checkpoint'), 'utf8'), '0\n1\n0 0\n');
  reopened.close();
});
