import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('DeleteTopics request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'DeleteTopics', {
    topics: [{ name: 'orders', topicId: null }, { name: null, topicId: 'x7kqzQW9TjGfMX8XqXKqLw' }],
    timeoutMs: 30_000,
  });
  responseRoundTrip(t, 'DeleteTopics', {
    throttleTimeMs: 0,
    responses: [
      { name: 'orders', topicId: 'x7kqzQW9TjGfMX8XqXKqLw', errorCode: 0, errorMessage: null },
      { name: 'gone', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', errorCode: 3,
        errorMessage: 'This server does not host this topic-partition.' },
    ],
  });
});

t.test('a DeleteTopics entry names a topic by name or by id, not both', async (t) => {
  rejectsPayload(t, 'DeleteTopics', { topics: [{ name: 'a', topicId: 'x7kqzQW9TjGfMX8XqXKqLw' }],
    timeoutMs: 1 }, 'payload.topics[0]');
  rejectsPayload(t, 'DeleteTopics', { topics: [{ name: null, topicId: null }], timeoutMs: 1 },
    'payload.topics[0]');
  rejectsPayload(t, 'DeleteTopics', { topics: 'orders', timeoutMs: 1 }, 'payload.topics');
  rejectsResponse(t, 'DeleteTopics', { throttleTimeMs: 0, responses: [{ name: 'a',
    topicId: 'AAAAAAAAAAAAAAAAAAAAAA', errorCode: 0 }] }, 'payload.responses[0].errorMessage');
});
