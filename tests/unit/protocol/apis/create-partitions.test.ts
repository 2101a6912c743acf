import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('CreatePartitions request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'CreatePartitions', {
    topics: [
      { name: 'orders', count: 6, assignments: null },
      { name: 'manual', count: 3, assignments: [{ brokerIds: [1, 2] }] },
    ],
    timeoutMs: 5_000,
    validateOnly: false,
  });
  responseRoundTrip(t, 'CreatePartitions', {
    throttleTimeMs: 0,
    results: [
      { name: 'orders', errorCode: 0, errorMessage: null },
      { name: 'manual', errorCode: 37,
        errorMessage: 'The topic manual currently has 3 partition(s); 3 would not be an increase.' },
    ],
  });
});

t.test('a malformed CreatePartitions payload names the field', async (t) => {
  rejectsPayload(t, 'CreatePartitions', { topics: [{ name: 'a', count: '3', assignments: null }],
    timeoutMs: 1, validateOnly: false }, 'payload.topics[0].count');
  rejectsPayload(t, 'CreatePartitions', { topics: [{ name: 'a', count: 3,
    assignments: [{ brokerIds: [1, -4] }] }], timeoutMs: 1, validateOnly: false },
  'payload.topics[0].assignments[0].brokerIds[1]');
  rejectsResponse(t, 'CreatePartitions', { throttleTimeMs: 0, results: [{ errorCode: 0,
    errorMessage: null }] }, 'payload.results[0].name');
});
