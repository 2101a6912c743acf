/**
 * The follower's handling of fetch answers without a network: appends of the leader's batches,
 * truncation on divergingEpoch (KIP-279 rules) and on OFFSET_OUT_OF_RANGE.
 */
import { join } from 'node:path';
import t from 'tap';
import { PartitionLog } from '../../../broker/log/index.js';
import { applyFetchedPartition, appendableBatches } from '../../../broker/replica/follower-apply.js';
import { attachLog, newPartition, type Partition } from '../../../broker/replica/partition.js';
import { ErrorCode, type FetchPartitionResponse } from '../../../protocol/index.js';
import { stampBatch } from '../../../protocol/records/index.js';
import { batch, tempDir } from './fixtures/harness.js';

/** A batch as a leader stored it: stamped with its offset and epoch. */
function stored(values: string[], baseOffset: number, epoch: number): Buffer {
  const bytes = Buffer.from(batch(values));
  stampBatch(bytes, 0, baseOffset, epoch);
  return bytes;
}

async function follower(t: { teardown(fn: () => unknown): void }): Promise<[Partition, PartitionLog]> {
  const log = await PartitionLog.open(join(tempDir(t), 'orders-0'));
  t.teardown(() => log.close());
  const p = newPartition('orders', 'T1', 0);
  attachLog(p, log);
  return [p, log];
}

function answer(extra: Partial<FetchPartitionResponse>): FetchPartitionResponse {
  return { partitionIndex: 0, errorCode: ErrorCode.NONE, highWatermark: 0, lastStableOffset: 0,
    logStartOffset: 0, records: new Uint8Array(0), ...extra };
}

t.test('fetched batches append as they are; the HW is capped by the own log end', async (t) => {
  const [p, log] = await follower(t);
  const records = Buffer.concat([stored(['a', 'b'], 0, 0), stored(['c'], 2, 0)]);
  const outcome = applyFetchedPartition(p, log, answer({ records, highWatermark: 10 }));
  t.same(outcome, { kind: 'appended', lastOffset: 2 });
  t.equal(log.logEndOffset, 3);
  t.equal(p.highWatermark, 3);
});

t.test('batches below the log end are skipped; a gap or a bad CRC is refused', async (t) => {
  const first = stored(['a'], 0, 0);
  const second = stored(['b'], 1, 0);
  t.same(Buffer.from(appendableBatches(Buffer.concat([first, second]), 1) as Uint8Array), second);
  t.match(appendableBatches(second, 0), /does not continue the log/);
  const bad = Buffer.from(second);
  bad[bad.length - 1]! ^= 1;
  t.match(appendableBatches(bad, 1), /corrupt batch/);
  const partial = Buffer.concat([first, second.subarray(0, 30)]);
  t.same(Buffer.from(appendableBatches(partial, 0) as Uint8Array), first, 'partial tail left');
});

t.test('divergingEpoch truncates to where both logs agree (KIP-279)', async (t) => {
  const [p, log] = await follower(t);
  log.appendAsFollower(Buffer.concat([stored(['a', 'b'], 0, 0), stored(['c', 'd'], 2, 2),
    stored(['e'], 4, 3)]));
  // The leader never had epoch 3; its epoch 2 ended at 3, inside our epoch-2 batch [2, 3].
  applyFetchedPartition(p, log, answer({ divergingEpoch: { epoch: 2, endOffset: 3 } }));
  t.equal(log.logEndOffset, 2, 'whole batches only: the batch holding offset 3 goes');
  t.equal(log.latestEpoch(), 0);
});

t.test('a leader epoch this log does not know truncates to the end of the epoch below it', async (t) => {
  const [p, log] = await follower(t);
  log.appendAsFollower(Buffer.concat([stored(['a'], 0, 0), stored(['b', 'c'], 1, 2)]));
  applyFetchedPartition(p, log, answer({ divergingEpoch: { epoch: 1, endOffset: 2 } }));
  t.equal(log.logEndOffset, 1, 'epoch 0 ends where our epoch 2 starts; the next fetch asks again');
});

t.test('OFFSET_OUT_OF_RANGE restarts at the leader log start or truncates to its HW', async (t) => {
  const [p, log] = await follower(t);
  log.appendAsFollower(stored(['a', 'b', 'c'], 0, 0));
  applyFetchedPartition(p, log, answer({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
    highWatermark: 1, logStartOffset: 0, records: null }));
  t.equal(log.logEndOffset, 0, 'the batch holding offset 1 goes whole');
  applyFetchedPartition(p, log, answer({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
    highWatermark: 50, logStartOffset: 40, records: null }));
  t.equal(log.logStartOffset, 40);
  t.equal(log.logEndOffset, 40);
  t.equal(p.highWatermark, 40);
});
