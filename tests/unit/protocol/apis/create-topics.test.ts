import t from 'tap';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('CreateTopics request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'CreateTopics', {
    topics: [
      { name: 'orders', numPartitions: 3, replicationFactor: 2, assignments: [],
        configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }] },
      { name: 'manual', numPartitions: -1, replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }, { partitionIndex: 1, brokerIds: [2, 3] }],
        configs: [] },
    ],
    timeoutMs: 5_000,
    validateOnly: false,
  });
  responseRoundTrip(t, 'CreateTopics', {
    throttleTimeMs: 0,
    topics: [
      { name: 'orders', topicId: 'x7kqzQW9TjGfMX8XqXKqLw', errorCode: 0, errorMessage: null,
        numPartitions: 3, replicationFactor: 2 },
      { name: 'manual', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', errorCode: 36,
        errorMessage: "Topic 'manual' already exists.", numPartitions: -1, replicationFactor: -1 },
    ],
  });
});

t.test('CreateTopics leaves ranges to the broker but checks wire types', async (t) => {
  // Kafka answers partitions < 1 per topic with INVALID_PARTITIONS, so the wire accepts them.
  requestRoundTrip(t, 'CreateTopics', {
    topics: [{ name: 'zero', numPartitions: 0, replicationFactor: 0, assignments: [], configs: [] }],
    timeoutMs: 0, validateOnly: true,
  });
  const topic = { name: 'a', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] };
  rejectsPayload(t, 'CreateTopics', { topics: [{ ...topic, replicationFactor: 40_000 }],
    timeoutMs: 1, validateOnly: false }, 'payload.topics[0].replicationFactor');
  rejectsPayload(t, 'CreateTopics', { topics: [{ ...topic, configs: [{ name: 'x' }] }],
    timeoutMs: 1, validateOnly: false }, 'payload.topics[0].configs[0].value');
  rejectsPayload(t, 'CreateTopics', { topics: [topic], timeoutMs: -5, validateOnly: false },
    'payload.timeoutMs');
  rejectsPayload(t, 'CreateTopics', { topics: [{ ...topic, name: 'x'.repeat(2_000) }],
    timeoutMs: 1, validateOnly: false }, 'payload.topics[0].name');
  rejectsResponse(t, 'CreateTopics', { throttleTimeMs: 0, topics: [{ name: 'a',
    topicId: 'AAAAAAAAAAAAAAAAAAAAAA', errorCode: 0.5, errorMessage: null, numPartitions: 1,
    replicationFactor: 1 }] }, 'payload.topics[0].errorCode');
});
