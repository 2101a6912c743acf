import t from 'tap';
import { ControllerApi, NO_ERROR, wireError } from '../../../../protocol/controller/index.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.createTopics;

t.test('createTopics request and reply survive a round trip (KIP-590 forwarding)', async (t) => {
  controllerRequestRoundTrip(t, api, {
    topics: [
      { name: 'orders', numPartitions: 3, replicationFactor: 2,
        configs: { 'cleanup.policy': 'compact' } },
      { name: 'manual', numPartitions: -1, replicationFactor: -1, assignments: [[1, 2], [2, 3]] },
    ],
    validateOnly: false,
  });
  controllerRequestRoundTrip(t, api, { topics: [] });
  controllerReplyRoundTrip(t, api, 1, {
    topics: [
      { ...NO_ERROR, name: 'orders', topicId: 'x7kqzQW9TjGfMX8XqXKqLw', numPartitions: 3,
        replicationFactor: 2 },
      { ...wireError('TOPIC_ALREADY_EXISTS', "Topic 'manual' already exists."), name: 'manual' },
    ],
  });
  controllerErrorRoundTrip(t, api, 2, wireError('NOT_CONTROLLER', ''));
});

t.test('createTopics requests are checked at the controller, naming the field', async (t) => {
  const topic = { name: 'a', numPartitions: 1, replicationFactor: 1 };
  rejectsControllerRequest(t, api, { topics: [{ name: 7 }] }, 'payload.topics[0].name');
  rejectsControllerRequest(t, api, { topics: [{ ...topic, numPartitions: 1.5 }] },
    'payload.topics[0].numPartitions');
  rejectsControllerRequest(t, api, { topics: [{ ...topic, configs: { x: 1 } }] },
    'payload.topics[0].configs.x');
  const configs = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`c${i}`, 'v']));
  rejectsControllerRequest(t, api, { topics: [{ ...topic, configs }] },
    'payload.topics[0].configs');
  rejectsControllerRequest(t, api, null, 'payload');
});

t.test('createTopics replies are checked at the broker, naming the field', async (t) => {
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1 }, 'payload.topics');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, topics: [{ name: 'a' }] },
    'payload.topics[0].error');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1,
    topics: [{ ...NO_ERROR, name: 'a', numPartitions: '3' }] }, 'payload.topics[0].numPartitions');
  rejectsControllerReply(t, api, { ...NO_ERROR, errorCode: 0.5, leaderId: 1 }, 'payload.errorCode');
  rejectsControllerReply(t, api, { topics: [] }, 'payload.error');
});
