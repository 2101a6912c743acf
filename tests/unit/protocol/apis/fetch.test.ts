import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

const batch = Buffer.from([0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 49, 0, 0, 0, 3, 2]);
const partition = {
  partitionIndex: 0, currentLeaderEpoch: -1, fetchOffset: 17, lastFetchedEpoch: -1,
  logStartOffset: -1, partitionMaxBytes: 1_048_576,
};

t.test('Fetch request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'Fetch', {
    replicaId: -1, replicaEpoch: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 52_428_800,
    isolationLevel: 0, topics: [{ name: 'orders', partitions: [partition] }],
  });
  requestRoundTrip(t, 'Fetch', {
    replicaId: 2, replicaEpoch: 2_000_000_123, maxWaitMs: 0, minBytes: 0, maxBytes: 1024,
    isolationLevel: 0,
    topics: [{ name: 'orders', partitions: [{ ...partition, lastFetchedEpoch: 4,
      logStartOffset: 0, currentLeaderEpoch: 5 }] }],
  });
  responseRoundTrip(t, 'Fetch', {
    throttleTimeMs: 0, errorCode: 0,
    topics: [{ name: 'orders', partitions: [
      { partitionIndex: 0, errorCode: 0, highWatermark: 20, lastStableOffset: 20,
        logStartOffset: 0, records: batch },
      { partitionIndex: 1, errorCode: 6, highWatermark: -1, lastStableOffset: -1,
        logStartOffset: -1, currentLeader: { leaderId: 2, leaderEpoch: 9 }, records: null },
      { partitionIndex: 2, errorCode: 0, highWatermark: 30, lastStableOffset: 30,
        logStartOffset: 0, divergingEpoch: { epoch: 3, endOffset: 25 },
        records: Buffer.alloc(0) },
    ] }],
  });
});

t.test('a malformed Fetch payload names the field', async (t) => {
  const base = { replicaId: -1, replicaEpoch: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1,
    isolationLevel: 0, topics: [{ name: 'x', partitions: [partition] }] };
  rejectsPayload(t, 'Fetch', { ...base, replicaId: -2 }, 'payload.replicaId');
  rejectsPayload(t, 'Fetch', { ...base, isolationLevel: 2 }, 'payload.isolationLevel');
  rejectsPayload(t, 'Fetch', { ...base, topics: [{ name: 'x',
    partitions: [{ ...partition, partitionMaxBytes: -5 }] }] },
  'payload.topics[0].partitions[0].partitionMaxBytes');
  rejectsResponse(t, 'Fetch', { throttleTimeMs: 0, errorCode: 0, topics: [{ name: 'x',
    partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 0, lastStableOffset: 0,
      logStartOffset: 0, records: [1, 2] }] }] }, 'payload.topics[0].partitions[0].records');
});
