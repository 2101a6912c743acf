import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

const voter = (replicaId: number, logEndOffset: number) => ({
  replicaId, replicaDirectoryId: 'x7kqzQW9TjGfMX8XqXKqLw', logEndOffset,
  lastFetchTimestamp: 1_700_000_000_123, lastCaughtUpTimestamp: 1_700_000_000_100,
});

t.test('DescribeQuorum request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'DescribeQuorum', {});
  responseRoundTrip(t, 'DescribeQuorum', {
    errorCode: 0, errorMessage: null, leaderId: 1, leaderEpoch: 7, highWatermark: 2_000_000_000_000,
    currentVoters: [voter(1, 2_000_000_000_000), voter(2, 1_999_999_999_990)],
    observers: [{ ...voter(4, 10), replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
      lastFetchTimestamp: -1, lastCaughtUpTimestamp: -1 }],
    nodes: [{ nodeId: 1, listeners: [{ name: 'CONTROLLER', host: 'localhost', port: 9093 }] }],
  });
});

t.test('a malformed DescribeQuorum payload names the field', async (t) => {
  rejectsPayload(t, 'DescribeQuorum', [], 'payload');
  rejectsResponse(t, 'DescribeQuorum', { errorCode: 0, errorMessage: null, leaderId: 1,
    leaderEpoch: 1, highWatermark: 0, currentVoters: [{ ...voter(1, 0), lastFetchTimestamp: -2 }],
    observers: [], nodes: [] }, 'payload.currentVoters[0].lastFetchTimestamp');
});
