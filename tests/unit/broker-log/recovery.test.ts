/**
 * Recovery at open: torn and corrupt tails cut, indexes rebuilt when missing or inconsistent,
 * and the clean-shutdown marker deciding how much is CRC-checked.
 */
import {
  appendFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { isOffsetOutOfRange, PartitionLog } from '../../../broker/log/index.js';
import { makeBatch, offsetRanges, tempDir } from './fixtures/helpers.js';

const BATCH_BYTES = makeBatch({ records: 2 }).length;
const config = { segmentBytes: BATCH_BYTES * 4, indexIntervalBytes: BATCH_BYTES };
const SEGMENT_8 = join('00000000000000000008.log');

/** 10 batches of 2 records: segments at 0, 8 and 16 (4 batches each). */
async function filledLog(dir: string): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir, config);
  for (let i = 0; i < 10; i++) log.appendAsLeader(makeBatch({ records: 2, baseTimestamp: i }), 0);
  return log;
}

function ranges(log: PartitionLog, from: number): [number, number][] {
  const read = log.read(from, 1 << 20, log.logEndOffset);
  if (isOffsetOutOfRange(read)) throw new Error('out of range');
  return offsetRanges(read.bytes);
}

/** Closes without the clean-shutdown marker, as a crash would leave the files. */
function crash(log: PartitionLog, dir: string): void {
  log.close();
  rmSync(join(dir, 'clean-shutdown'));
}

t.test('garbage after the last batch is cut at open and appends continue', async (t) => {
  const dir = tempDir(t);
  crash(await filledLog(dir), dir);
  const last = join(dir, '00000000000000000016.log');
  appendFileSync(last, Buffer.from('not a record batch at all, just some bytes'));
  const lines: string[] = [];
  const log = await PartitionLog.open(dir, config, { log: (line) => lines.push(line) });
  t.equal(log.logEndOffset, 20);
  t.equal(log.recovery.bytesTruncated, 42);
  t.match(lines, [/truncated 42 bytes/]);
  t.equal(statSync(last).size, BATCH_BYTES * 2);
  log.appendAsLeader(makeBatch({ records: 3 }), 0);
  t.same(ranges(log, 16), [[16, 17], [18, 19], [20, 22]]);
  log.close();
});

t.test('a batch cut in half by a crash is dropped whole', async (t) => {
  const dir = tempDir(t);
  crash(await filledLog(dir), dir);
  const last = join(dir, '00000000000000000016.log');
  truncateSync(last, BATCH_BYTES + 30);
  const log = await PartitionLog.open(dir, config);
  t.equal(log.logEndOffset, 18);
  t.equal(log.recovery.bytesTruncated, 30);
  log.appendAsLeader(makeBatch({ records: 1 }), 0);
  t.same(ranges(log, 16), [[16, 17], [18, 18]]);
  log.close();
});

t.test('a batch whose CRC does not match ends the log there, even after a clean close',
  async (t) => {
  const dir = tempDir(t);
  const log = await filledLog(dir);
  log.close();
  const last = join(dir, '00000000000000000016.log');
  const bytes = readFileSync(last);
  bytes[BATCH_BYTES + 70] = bytes[BATCH_BYTES + 70]! ^ 0xff; // a record byte of the second batch
  writeFileSync(last, bytes);
  const lines: string[] = [];
  const reopened = await PartitionLog.open(dir, config, { log: (line) => lines.push(line) });
  t.equal(reopened.logEndOffset, 18);
  t.ok(lines.some((line) => /truncated \d+ bytes at position \d+ .*crc/.test(line)), 'logged');
  reopened.close();
});

t.test('without the clean-shutdown marker the last segment indexes are rebuilt', async (t) => {
  const dir = tempDir(t);
  crash(await filledLog(dir), dir);
  const log = await PartitionLog.open(dir, config);
  t.same(log.recovery, { bytesTruncated: 0, segmentsDeleted: 0, indexesRebuilt: 1 });
  log.close();
  const clean = await PartitionLog.open(dir, config);
  t.same(clean.recovery, { bytesTruncated: 0, segmentsDeleted: 0, indexesRebuilt: 0 });
  clean.close();
});

t.test('missing or corrupt index files are rebuilt and lookups still work', async (t) => {
  const dir = tempDir(t);
  (await filledLog(dir)).close();
  rmSync(join(dir, '00000000000000000000.index'));
  writeFileSync(join(dir, '00000000000000000008.timeindex'), Buffer.alloc(13, 1)); // bad size
  const lines: string[] = [];
  const log = await PartitionLog.open(dir, config, { log: (line) => lines.push(line) });
  t.equal(log.recovery.indexesRebuilt, 2);
  t.match(lines, [/index file missing/, /time index: size 13/]);
  for (let offset = 0; offset < 20; offset++) {
    t.same(ranges(log, offset)[0]![0], offset - (offset % 2), `offset ${offset}`);
  }
  t.same(log.offsetForTimestamp(5), { offset: 10, timestampMs: 5 });
  log.close();
});

t.test('an index entry pointing past the end of the log is not trusted', async (t) => {
  const dir = tempDir(t);
  (await filledLog(dir)).close();
  const index = join(dir, '00000000000000000008.index');
  const beyond = Buffer.alloc(8);
  beyond.writeInt32BE(7, 0);
  beyond.writeInt32BE(BATCH_BYTES * 100, 4);
  appendFileSync(index, beyond);
  const lines: string[] = [];
  const log = await PartitionLog.open(dir, config, { log: (line) => lines.push(line) });
  t.match(lines, [/00000000000000000008\.log: rebuilding its indexes .*points past the log/]);
  t.same(ranges(log, 14), [[14, 15]]);
  log.close();
});

t.test('an older segment that ends before the next one starts drops the later segments',
  async (t) => {
  const dir = tempDir(t);
  crash(await filledLog(dir), dir);
  truncateSync(join(dir, SEGMENT_8), BATCH_BYTES * 2 + 5);
  rmSync(join(dir, '00000000000000000008.index'));
  const log = await PartitionLog.open(dir, config);
  t.equal(log.logEndOffset, 12);
  t.same(log.recovery, { bytesTruncated: 5, segmentsDeleted: 1, indexesRebuilt: 1 });
  t.same(log.segmentBaseOffsets(), [0, 8]);
  log.appendAsLeader(makeBatch({ records: 2 }), 1);
  t.same(ranges(log, 12), [[12, 13]]);
  log.close();
});

t.test('after truncation the index holds no entry past the new end', async (t) => {
  const dir = tempDir(t);
  (await filledLog(dir)).close();
  const index = join(dir, '00000000000000000008.index');
  t.equal(statSync(index).size, 8, 'one entry: the batch at offset 12');
  const log = await PartitionLog.open(dir, config);
  log.truncateTo(13);
  t.equal(log.logEndOffset, 12);
  log.close();
  t.equal(statSync(index).size, 0, 'the entry for the cut batch is gone');
  const reopened = await PartitionLog.open(dir, config);
  t.same(reopened.recovery.indexesRebuilt, 0);
  t.equal(reopened.logEndOffset, 12);
  reopened.close();
});

t.test('an empty directory opens as an empty log at offset 0', async (t) => {
  const dir = join(tempDir(t), 'a', 'topic-0');
  const log = await PartitionLog.open(dir, config);
  t.same([log.logStartOffset, log.logEndOffset, log.latestEpoch()], [0, 0, -1]);
  t.same(log.read(0, 100, 0), { bytes: new Uint8Array(0), firstOffset: 0 });
  log.close();
});
