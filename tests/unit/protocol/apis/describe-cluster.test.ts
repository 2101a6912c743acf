import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('DescribeCluster request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'DescribeCluster', {});
  responseRoundTrip(t, 'DescribeCluster', {
    throttleTimeMs: 0, errorCode: 0, errorMessage: null, clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
    controllerId: 2,
    brokers: [
      { nodeId: 1, host: 'localhost', port: 9092, rack: null, isFenced: false },
      { nodeId: 2, host: 'localhost', port: 9094, rack: 'r2', isFenced: true },
    ],
  });
});

t.test('a malformed DescribeCluster payload names the field', async (t) => {
  rejectsPayload(t, 'DescribeCluster', 'all', 'payload');
  rejectsResponse(t, 'DescribeCluster', { throttleTimeMs: 0, errorCode: 0, errorMessage: null,
    clusterId: 'c', controllerId: 1, brokers: [{ nodeId: 1, host: 'h', port: 1, rack: null }] },
  'payload.brokers[0].isFenced');
});
