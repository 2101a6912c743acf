/**
 * The leader side of the data plane: Produce, Fetch and ListOffsets against real partition logs,
 * with followers played by the test through Fetch requests carrying their replica id.
 */
import t from 'tap';
import { ErrorCode } from '../../../protocol/index.js';
import {
  batch, call, fetchRequest, offsetRanges as ranges, produceRequest, setUpLeader as setUp,
  waitFor,
} from './fixtures/harness.js';

t.test('a produced batch (acks=1) is fetched back as the same bytes with offsets stamped', async (t) => {
  const { manager } = await setUp(t, [[1]]);
  const first = batch(['a', 'b', 'c']);
  const second = batch(['d']);
  const sent = [Buffer.from(first), Buffer.from(second)];
  const p1 = await call(manager, 'Produce', produceRequest('orders', 0, first));
  const p2 = await call(manager, 'Produce', produceRequest('orders', 0, second));
  t.same(p1?.topics[0]?.partitions[0], { partitionIndex: 0, errorCode: 0, errorMessage: null,
    baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0 });
  t.equal(p2?.topics[0]?.partitions[0]?.baseOffset, 3);
  const fetched = await call(manager, 'Fetch', fetchRequest('orders', 0, 0));
  const data = fetched?.topics[0]?.partitions[0];
  t.equal(data?.errorCode, ErrorCode.NONE);
  t.equal(data?.highWatermark, 4, 'a single-replica ISR acknowledges at once');
  t.same(ranges(data?.records), [[0, 2], [3, 3]]);
  // Stored as-is: the bytes differ from what was sent only in the stamped baseOffset.
  const expected = Buffer.concat(sent);
  expected.writeBigInt64BE(3n, sent[0]!.length);
  for (const at of [0, sent[0]!.length]) expected.writeInt32BE(0, at + 12);
  t.same(Buffer.from(data!.records!), expected);
});

t.test('acks=-1 is answered only once a follower fetch moves the high watermark past it', async (t) => {
  const { cluster, manager } = await setUp(t, [[1, 2]]);
  const epoch2 = cluster.brokerEpoch(2);
  let answered = false;
  const produced = call(manager, 'Produce', produceRequest('orders', 0, batch(['x', 'y']), -1))
    .then((response) => { answered = true; return response; });
  await waitFor(() => manager.partition('orders', 0)?.log?.logEndOffset === 2, 'the append');
  const follower = { replicaId: 2, replicaEpoch: epoch2, currentLeaderEpoch: 0 };
  const caughtUp = await call(manager, 'Fetch', fetchRequest('orders', 0, 0, follower));
  t.same(ranges(caughtUp?.topics[0]?.partitions[0]?.records), [[0, 1]]);
  t.equal(manager.partition('orders', 0)?.highWatermark, 0);
  // One event-loop turn: anything the fetch released would have been answered by now.
  await new Promise((resolve) => setImmediate(resolve));
  t.notOk(answered, 'still waiting: the follower has not confirmed offset 1');
  await call(manager, 'Fetch', fetchRequest('orders', 0, 2, follower));
  const response = await produced;
  t.equal(response?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NONE);
  t.equal(manager.partition('orders', 0)?.highWatermark, 2);
});

t.test('acks=-1 times out with REQUEST_TIMED_OUT when no follower fetches', async (t) => {
  const { manager } = await setUp(t, [[1, 2]]);
  const response = await call(manager, 'Produce',
    produceRequest('orders', 0, batch(['x']), -1, 50));
  t.equal(response?.topics[0]?.partitions[0]?.errorCode, ErrorCode.REQUEST_TIMED_OUT);
});

t.test('acks=-1 is refused with NOT_ENOUGH_REPLICAS when the ISR is under min.insync (D1)', async (t) => {
  const { manager } = await setUp(t, [[1, 2]], {
    isr: [[1]], configs: { 'min.insync.replicas': '2' },
  });
  const response = await call(manager, 'Produce', produceRequest('orders', 0, batch(['x']), -1));
  t.equal(response?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NOT_ENOUGH_REPLICAS);
  t.equal(manager.partition('orders', 0)?.log?.logEndOffset, 0, 'nothing appended');
  const acks1 = await call(manager, 'Produce', produceRequest('orders', 0, batch(['x']), 1));
  t.equal(acks1?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NONE, 'acks=1 still appends');
  t.equal(manager.partition('orders', 0)?.highWatermark, 0, 'HW frozen under min ISR (KIP-966)');
});

t.test('a pending acks=-1 fails with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrinks', async (t) => {
  const { cluster, manager, topicId } = await setUp(t, [[1, 2, 3]], {
    configs: { 'min.insync.replicas': '2' },
  });
  const produced = call(manager, 'Produce', produceRequest('orders', 0, batch(['x']), -1));
  await waitFor(() => manager.partition('orders', 0)?.log?.logEndOffset === 1, 'the append');
  cluster.commit([{ type: 'PartitionChangeRecord', topicId, partitionId: 0, leader: -2,
    isr: [1] }]);
  const response = await produced;
  t.equal(response?.topics[0]?.partitions[0]?.errorCode,
    ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
});

t.test('bad batches are refused and nothing is appended', async (t) => {
  const { manager } = await setUp(t, [[1]], { configs: { 'max.message.bytes': '200' } });
  const corrupt = Buffer.from(batch(['a', 'b']));
  corrupt[corrupt.length - 1]! ^= 0xff;
  const oldMagic = Buffer.from(batch(['a']));
  oldMagic[16] = 1;
  const large = batch(['x'.repeat(300)]);
  const cases: [Uint8Array, number][] = [
    [corrupt, ErrorCode.CORRUPT_MESSAGE],
    [Buffer.concat([batch(['ok']), corrupt]), ErrorCode.CORRUPT_MESSAGE],
    [batch(['a']).subarray(0, 40), ErrorCode.CORRUPT_MESSAGE],
    [oldMagic, ErrorCode.INVALID_RECORD],
    [large, ErrorCode.MESSAGE_TOO_LARGE],
  ];
  for (const [records, errorCode] of cases) {
    const response = await call(manager, 'Produce', produceRequest('orders', 0, records));
    t.equal(response?.topics[0]?.partitions[0]?.errorCode, errorCode);
  }
  t.equal(manager.partition('orders', 0)?.log?.logEndOffset, 0);
});

t.test('produce to a partition led elsewhere names the leader; unknown ones are unknown', async (t) => {
  const { manager } = await setUp(t, [[2, 1]]);
  const response = await call(manager, 'Produce', produceRequest('orders', 0, batch(['a'])));
  t.same(response?.topics[0]?.partitions[0], { partitionIndex: 0,
    errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null, baseOffset: -1,
    logAppendTimeMs: -1, logStartOffset: -1, currentLeader: { leaderId: 2, leaderEpoch: 0 } });
  const unknown = await call(manager, 'Produce', produceRequest('nope', 0, batch(['a'])));
  t.equal(unknown?.topics[0]?.partitions[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const acks0 = await call(manager, 'Produce', produceRequest('orders', 0, batch(['a']), 0));
  t.equal(acks0, undefined, 'acks=0 gets no response');
});

t.test('a fetch in a stale leader epoch is fenced, a newer one is unknown (KIP-320)', async (t) => {
  const { cluster, manager, topicId } = await setUp(t, [[1]]);
  cluster.electLeader(topicId, 0, 1);
  t.equal(manager.partition('orders', 0)?.leaderEpoch, 1);
  const stale = await call(manager, 'Fetch',
    fetchRequest('orders', 0, 0, { currentLeaderEpoch: 0 }));
  t.equal(stale?.topics[0]?.partitions[0]?.errorCode, ErrorCode.FENCED_LEADER_EPOCH);
  const newer = await call(manager, 'Fetch',
    fetchRequest('orders', 0, 0, { currentLeaderEpoch: 2 }));
  t.equal(newer?.topics[0]?.partitions[0]?.errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
  const current = await call(manager, 'Fetch',
    fetchRequest('orders', 0, 0, { currentLeaderEpoch: 1 }));
  t.equal(current?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NONE);
  const outside = await call(manager, 'Fetch', fetchRequest('orders', 0, 5));
  t.equal(outside?.topics[0]?.partitions[0]?.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
});

t.test('a consumer fetch stops at the high watermark, a follower fetch at the log end', async (t) => {
  const { cluster, manager } = await setUp(t, [[1, 2]]);
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['a', 'b'])));
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['c'])));
  const follower = { replicaId: 2, replicaEpoch: cluster.brokerEpoch(2) };
  await call(manager, 'Fetch', fetchRequest('orders', 0, 2, follower));
  t.equal(manager.partition('orders', 0)?.highWatermark, 2);
  const consumer = await call(manager, 'Fetch', fetchRequest('orders', 0, 0));
  t.same(ranges(consumer?.topics[0]?.partitions[0]?.records), [[0, 1]]);
  t.equal(consumer?.topics[0]?.partitions[0]?.highWatermark, 2);
  const replica = await call(manager, 'Fetch', fetchRequest('orders', 0, 2, follower));
  t.same(ranges(replica?.topics[0]?.partitions[0]?.records), [[2, 2]]);
});

t.test('the first batch is returned even over maxBytes, later ones only within it (KIP-74)', async (t) => {
  const { manager } = await setUp(t, [[1], [1]]);
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['a'.repeat(100)])));
  await call(manager, 'Produce', produceRequest('orders', 1, batch(['b'.repeat(100)])));
  const request = fetchRequest('orders', 0, 0, { maxBytes: 10, partitionMaxBytes: 10 });
  request.topics[0]!.partitions.push({ ...request.topics[0]!.partitions[0]!, partitionIndex: 1 });
  const response = await call(manager, 'Fetch', request);
  t.same(ranges(response?.topics[0]?.partitions[0]?.records), [[0, 0]]);
  t.same(ranges(response?.topics[0]?.partitions[1]?.records), []);
});

t.test('a long poll is answered when data arrives, or at maxWaitMs with none', async (t) => {
  const { manager } = await setUp(t, [[1]]);
  const started = Date.now();
  const empty = await call(manager, 'Fetch',
    fetchRequest('orders', 0, 0, { maxWaitMs: 60, minBytes: 1 }));
  t.ok(Date.now() - started >= 50, 'waited maxWaitMs');
  t.same(ranges(empty?.topics[0]?.partitions[0]?.records), []);
  const parked = call(manager, 'Fetch',
    fetchRequest('orders', 0, 0, { maxWaitMs: 5_000, minBytes: 1 }));
  await new Promise((resolve) => setImmediate(resolve)); // the fetch is parked
  const at = Date.now();
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['late'])));
  const response = await parked;
  t.same(ranges(response?.topics[0]?.partitions[0]?.records), [[0, 0]]);
  t.ok(Date.now() - at < 1_000, 'answered by the append, not the timer');
});

t.test('a follower whose last epoch ended earlier gets divergingEpoch and no records (D5)', async (t) => {
  const { cluster, manager, topicId } = await setUp(t, [[1, 2]]);
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['a', 'b', 'c'])));
  cluster.electLeader(topicId, 0, 1); // leader epoch 1 starts at offset 3
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['d', 'e'])));
  const follower = { replicaId: 2, replicaEpoch: cluster.brokerEpoch(2), currentLeaderEpoch: 1 };
  const diverged = await call(manager, 'Fetch',
    fetchRequest('orders', 0, 5, { ...follower, lastFetchedEpoch: 0 }));
  const data = diverged?.topics[0]?.partitions[0];
  t.equal(data?.errorCode, ErrorCode.NONE);
  t.same(data?.divergingEpoch, { epoch: 0, endOffset: 3 });
  t.same(ranges(data?.records), []);
  t.equal(manager.partition('orders', 0)?.followers.get(2)?.logEndOffset, -1,
    'a diverging fetch does not count as progress');
  const agreeing = await call(manager, 'Fetch',
    fetchRequest('orders', 0, 3, { ...follower, lastFetchedEpoch: 0 }));
  t.equal(agreeing?.topics[0]?.partitions[0]?.divergingEpoch, undefined);
  t.same(ranges(agreeing?.topics[0]?.partitions[0]?.records), [[3, 4]]);
});

t.test('ListOffsets answers earliest, latest (the HW) and by timestamp', async (t) => {
  const { cluster, manager } = await setUp(t, [[1, 2]]);
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['a', 'b'], 1_000)));
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['c'], 5_000)));
  await call(manager, 'Fetch', fetchRequest('orders', 0, 2,
    { replicaId: 2, replicaEpoch: cluster.brokerEpoch(2) }));
  const ask = (timestamp: number, replicaId = -1) => call(manager, 'ListOffsets', {
    replicaId, isolationLevel: 0,
    topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 0,
      timestamp }] }],
  }).then((r) => r?.topics[0]?.partitions[0]);
  t.match(await ask(-2), { errorCode: 0, offset: 0, timestamp: -1, leaderEpoch: 0 });
  t.match(await ask(-1), { errorCode: 0, offset: 2 }, 'latest is the HW for consumers');
  t.match(await ask(-1, 2), { errorCode: 0, offset: 3 }, 'and the log end for replicas');
  t.match(await ask(500), { offset: 0, timestamp: 1_001 });
  t.match(await ask(4_000), { offset: -1, timestamp: -1 }, 'only below the HW');
  t.match(await ask(4_000, 2), { offset: 2, timestamp: 5_000 });
  t.match(await ask(9_000), { offset: -1, timestamp: -1 });
});

t.test('a lagging follower is removed from the ISR through AlterPartition (D12)', async (t) => {
  const { cluster, manager } = await setUp(t, [[1, 2, 3]], {
    extra: { 'replica.lag.time.max.ms': 100 },
  });
  const follower3 = { replicaId: 3, replicaEpoch: cluster.brokerEpoch(3) };
  const keepFetching = setInterval(() => {
    void call(manager, 'Fetch', fetchRequest('orders', 0, 0, follower3));
  }, 20);
  t.teardown(() => clearInterval(keepFetching));
  await waitFor(() => cluster.alterRequests.length > 0, 'an AlterPartition', 2_000);
  t.same(cluster.alterRequests[0]?.newIsr, [1, 3], 'broker 2 never fetched');
  await waitFor(() => manager.partition('orders', 0)?.isr.length === 2, 'the committed ISR');
  t.same(manager.partition('orders', 0)?.isr, [1, 3]);
  t.equal(manager.partition('orders', 0)?.pending, undefined);
  t.equal(manager.partition('orders', 0)?.partitionEpoch, 1);
});

t.test('a caught-up follower joins the ISR; a refused change is dropped', async (t) => {
  const { cluster, manager } = await setUp(t, [[1, 2, 3]], { isr: [[1]] });
  await call(manager, 'Produce', produceRequest('orders', 0, batch(['a'])));
  cluster.answerAlterPartition = (request) => request.newIsr.includes(3)
    ? { error: 'INELIGIBLE_REPLICA', errorCode: 107, retriable: false, message: 'no',
      leaderId: 9 } : undefined;
  await call(manager, 'Fetch', fetchRequest('orders', 0, 1,
    { replicaId: 2, replicaEpoch: cluster.brokerEpoch(2) }));
  await waitFor(() => manager.partition('orders', 0)?.isr.length === 2, 'the expansion');
  t.same(manager.partition('orders', 0)?.isr, [1, 2]);
  await call(manager, 'Fetch', fetchRequest('orders', 0, 1,
    { replicaId: 3, replicaEpoch: cluster.brokerEpoch(3) }));
  await waitFor(() => cluster.alterRequests.length === 2, 'the second AlterPartition');
  await waitFor(() => manager.partition('orders', 0)?.pending === undefined, 'the refusal');
  t.same(manager.partition('orders', 0)?.isr, [1, 2]);
  await call(manager, 'Fetch', fetchRequest('orders', 0, 1, { replicaId: 3, replicaEpoch: 1 }));
  t.equal(cluster.alterRequests.length, 2, 'a stale broker epoch never joins (KIP-903)');
});

t.test('a deleted topic loses its log; losing leadership fails parked produces', async (t) => {
  const { cluster, manager, topicId } = await setUp(t, [[1, 2]]);
  const produced = call(manager, 'Produce', produceRequest('orders', 0, batch(['a']), -1));
  await waitFor(() => manager.partition('orders', 0)?.log?.logEndOffset === 1, 'the append');
  cluster.electLeader(topicId, 0, 2);
  const response = await produced;
  t.equal(response?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  t.equal(manager.partition('orders', 0)?.role, 'follower');
  const dir = manager.partition('orders', 0)?.log?.dir;
  cluster.deleteTopic(topicId);
  t.equal(manager.partition('orders', 0), undefined);
  const { existsSync } = await import('node:fs');
  await waitFor(() => dir !== undefined && !existsSync(dir), 'the log directory to go');
});
