import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('ListOffsets request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'ListOffsets', {
    replicaId: -1, isolationLevel: 0,
    topics: [{ name: 'orders', partitions: [
      { partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 },
      { partitionIndex: 1, currentLeaderEpoch: 4, timestamp: -2 },
      { partitionIndex: 2, currentLeaderEpoch: -1, timestamp: 1_700_000_000_000 },
    ] }],
  });
  responseRoundTrip(t, 'ListOffsets', {
    throttleTimeMs: 0,
    topics: [{ name: 'orders', partitions: [
      { partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 120, leaderEpoch: 4 },
      { partitionIndex: 2, errorCode: 0, timestamp: 1_700_000_000_005, offset: 7,
        leaderEpoch: 4 },
      { partitionIndex: 3, errorCode: 78, timestamp: -1, offset: -1, leaderEpoch: -1 },
    ] }],
  });
});

t.test('a malformed ListOffsets payload names the field', async (t) => {
  rejectsPayload(t, 'ListOffsets', { replicaId: -1, isolationLevel: 0, topics: [{ name: 'x',
    partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -3 }] }] },
  'payload.topics[0].partitions[0].timestamp');
  rejectsResponse(t, 'ListOffsets', { throttleTimeMs: 0, topics: [{ name: 'x',
    partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1, offset: '5',
      leaderEpoch: 0 }] }] }, 'payload.topics[0].partitions[0].offset');
});
