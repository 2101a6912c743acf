/**
 * The broker's own appends and reads (appendRecords, readRecords), which the group and
 * transaction coordinators will use for their internal topics: the same checks, ordering and
 * acks=-1 wait as a Produce, the same read as a Fetch partition, plus a read up to the log end.
 */
import t from 'tap';
import { ErrorCode, decodeRequest, encodeRequest } from '../../../protocol/index.js';
import {
  batch, call, fetchRequest, offsetRanges, produceRequest, setUpLeader,
} from './fixtures/harness.js';

const orders0 = { topicName: 'orders', partitionId: 0 };

t.test('an append as the broker is read back as the same stored batches', async (t) => {
  const { manager } = await setUpLeader(t, [[1]]);
  const appended = await manager.appendRecords(orders0, batch(['a', 'b']),
    { acks: 1, timeoutMs: 1_000 });
  t.same(appended, { partitionIndex: 0, errorCode: ErrorCode.NONE, errorMessage: null,
    baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0 });
  const second = await manager.appendRecords(orders0, batch(['c']), { acks: 0, timeoutMs: 0 });
  t.equal(second.baseOffset, 2, 'acks=0 still tells the broker where it appended');
  const read = await manager.readRecords(orders0, 0, 1 << 20);
  t.equal(read.errorCode, ErrorCode.NONE);
  t.equal(read.highWatermark, 3);
  t.same(offsetRanges(read.records), [[0, 1], [2, 2]]);
  const fetched = await call(manager, 'Fetch', fetchRequest('orders', 0, 0));
  t.same(Buffer.from(read.records!), Buffer.from(fetched!.topics[0]!.partitions[0]!.records!),
    'the same bytes a consumer fetches');
  const small = await manager.readRecords(orders0, 0, 1);
  t.same(offsetRanges(small.records), [[0, 1]], 'one whole batch even over maxBytes (KIP-74)');
});

t.test('acks=-1 waits for the ISR; a read stops at the high watermark unless upTo logEnd',
  async (t) => {
    const { cluster, manager } = await setUpLeader(t, [[1, 2]]);
    let settled = false;
    const appended = manager.appendRecords(orders0, batch(['x', 'y']),
      { acks: -1, timeoutMs: 5_000 }).finally(() => { settled = true; });
    const below = await manager.readRecords(orders0, 0, 1 << 20);
    t.same(offsetRanges(below.records), [], 'nothing is below the high watermark yet');
    const whole = await manager.readRecords(orders0, 0, 1 << 20, { upTo: 'logEnd' });
    t.same(offsetRanges(whole.records), [[0, 1]], 'the whole log, as a coordinator loads it');
    t.equal(manager.partition('orders', 0)?.followers.get(2)?.logEndOffset, -1,
      'the broker reading to the log end is not a follower fetch');
    await new Promise((resolve) => setImmediate(resolve));
    t.notOk(settled, 'still waiting for broker 2');
    const follower = { replicaId: 2, replicaEpoch: cluster.brokerEpoch(2) };
    await call(manager, 'Fetch', fetchRequest('orders', 0, 2, follower));
    t.equal((await appended).errorCode, ErrorCode.NONE);
    t.same(offsetRanges((await manager.readRecords(orders0, 0, 1 << 20)).records), [[0, 1]]);
  });

t.test('appends and reads as the broker get the errors a Produce and a Fetch get', async (t) => {
  const { manager } = await setUpLeader(t, [[2, 1]]);
  const options = { acks: 1, timeoutMs: 1_000 } as const;
  t.match(await manager.appendRecords(orders0, batch(['a']), options),
    { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, currentLeader: { leaderId: 2 } });
  t.match(await manager.readRecords(orders0, 0, 100),
    { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, records: null });
  const unknown = { topicName: 'nope', partitionId: 0 };
  t.match(await manager.appendRecords(unknown, batch(['a']), options),
    { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  t.match(await manager.readRecords(unknown, 0, 100),
    { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  const corrupt = Buffer.from(batch(['a']));
  corrupt[corrupt.length - 1]! ^= 1;
  const other = await setUpLeader(t, [[1]]);
  t.match(await other.manager.appendRecords(orders0, corrupt, options),
    { errorCode: ErrorCode.CORRUPT_MESSAGE });
  t.match(await other.manager.readRecords(orders0, 5, 100),
    { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE });
});

t.test('wire produces and broker appends reach the partition in call order', async (t) => {
  const { manager } = await setUpLeader(t, [[1]]);
  // The log is not open yet: both wait for it, in order.
  t.equal(manager.partition('orders', 0)?.log, undefined);
  const wire = call(manager, 'Produce', produceRequest('orders', 0, batch(['w'])));
  const own = manager.appendRecords(orders0, batch(['o']), { acks: 1, timeoutMs: 1_000 });
  t.equal((await wire)?.topics[0]?.partitions[0]?.baseOffset, 0);
  t.equal((await own).baseOffset, 1);
});

t.test('a stopping broker answers every entry point with NOT_LEADER_OR_FOLLOWER', async (t) => {
  const { manager } = await setUpLeader(t, [[1]]);
  await manager.close();
  t.match(await manager.appendRecords(orders0, batch(['a']), { acks: 1, timeoutMs: 100 }),
    { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: 'The broker is stopping.' });
  t.match(await manager.readRecords(orders0, 0, 100),
    { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
  const decoded = decodeRequest(encodeRequest('Produce', { correlationId: 7, clientId: 't' },
    produceRequest('orders', 0, batch(['a']))));
  if (decoded.kind !== 'request') throw new Error('not a request');
  t.strictSame(await manager.serve(decoded.request, { id: 1, remoteAddress: 'test' }), {
    kind: 'error', api: 'Produce', correlationId: 7,
    errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: 'The broker is stopping.',
  });
});
