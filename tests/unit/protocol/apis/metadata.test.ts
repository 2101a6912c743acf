import t from 'tap';
import type { MetadataResponse } from '../../../../protocol/index.js';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

export const sampleMetadata: MetadataResponse = {
  throttleTimeMs: 0,
  brokers: [
    { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
    { nodeId: 2, host: 'broker-2.example', port: 9093, rack: 'eu-west-1a' },
  ],
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
  controllerId: 1,
  topics: [
    {
      errorCode: 0, name: 'orders', topicId: 'x7kqzQW9TjGfMX8XqXKqLw', isInternal: false,
      partitions: [
        { errorCode: 0, partitionIndex: 0, leader: 1, leaderEpoch: 3, replicas: [1, 2], isr: [1, 2],
          offlineReplicas: [], eligibleLeaderReplicas: [], lastKnownElr: [] },
        { errorCode: 5, partitionIndex: 1, leader: -1, leaderEpoch: -1, replicas: [2, 1], isr: [],
          offlineReplicas: [2], eligibleLeaderReplicas: null, lastKnownElr: null },
      ],
    },
    { errorCode: 3, name: 'missing', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', isInternal: false,
      partitions: [] },
  ],
};

t.test('Metadata request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'Metadata', { topics: null, allowAutoTopicCreation: false });
  requestRoundTrip(t, 'Metadata', { topics: ['orders', 'payments'], allowAutoTopicCreation: true });
  requestRoundTrip(t, 'Metadata', { topics: [], allowAutoTopicCreation: false });
  responseRoundTrip(t, 'Metadata', sampleMetadata);
});

t.test('a malformed Metadata payload names the field', async (t) => {
  rejectsPayload(t, 'Metadata', { topics: ['ok', 5], allowAutoTopicCreation: false },
    'payload.topics[1]');
  rejectsPayload(t, 'Metadata', { topics: null }, 'payload.allowAutoTopicCreation');
  rejectsPayload(t, 'Metadata', null, 'payload');
  const badPort = structuredClone(sampleMetadata);
  badPort.brokers[1]!.port = 70_000;
  rejectsResponse(t, 'Metadata', badPort, 'payload.brokers[1].port');
  const badId = structuredClone(sampleMetadata);
  badId.topics[0]!.topicId = 'not-a-uuid';
  rejectsResponse(t, 'Metadata', badId, 'payload.topics[0].topicId');
  const badLeader = structuredClone(sampleMetadata);
  badLeader.topics[0]!.partitions[0]!.leader = -2;
  rejectsResponse(t, 'Metadata', badLeader, 'payload.topics[0].partitions[0].leader');
});
