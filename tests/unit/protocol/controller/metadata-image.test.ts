import t from 'tap';
import { ControllerApi, NO_ERROR } from '../../../../protocol/controller/index.js';
import {
  controllerReplyRoundTrip, controllerRequestRoundTrip, rejectsControllerReply,
  rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.metadataImage;
const image = {
  topics: [{
    name: 'orders', topicId: 'x7kqzQW9TjGfMX8XqXKqLw',
    partitions: [{ partitionId: 0, replicas: [1, 2], isr: [1], leader: 1, leaderEpoch: 2,
      partitionEpoch: 5 }],
  }],
  brokers: [{ brokerId: 1, brokerEpoch: 10, fenced: false, inControlledShutdown: false }],
  features: { 'metadata.version': 21 },
  offset: 41, epoch: 3, appliedEndOffset: 42, imageHash: 0xdead_beef,
};

t.test('metadataImage request and reply survive a round trip', async (t) => {
  controllerRequestRoundTrip(t, api, {});
  controllerReplyRoundTrip(t, api, 1, image);
  controllerReplyRoundTrip(t, api, -1, {
    topics: [], brokers: [], features: {}, offset: -1, epoch: -1, appliedEndOffset: 0,
    imageHash: 0,
  });
});

t.test('metadataImage payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, [], 'payload');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, ...image, imageHash: -1 },
    'payload.imageHash');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, ...image, topics: [{
    ...image.topics[0], partitions: [{ partitionId: 0 }] }] },
  'payload.topics[0].partitions[0].replicas');
});
