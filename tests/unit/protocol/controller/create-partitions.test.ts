import t from 'tap';
import { ControllerApi, NO_ERROR, wireError } from '../../../../protocol/controller/index.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.createPartitions;

t.test('createPartitions request and reply survive a round trip', async (t) => {
  controllerRequestRoundTrip(t, api, {
    topics: [{ name: 'orders', count: 6 }, { name: 'manual', count: 3, assignments: [[1, 2]] }],
    validateOnly: true,
  });
  controllerReplyRoundTrip(t, api, 1, {
    topics: [
      { ...NO_ERROR, name: 'orders' },
      { ...wireError('INVALID_PARTITIONS', 'Topic already has 4 partitions.'), name: 'manual' },
    ],
  });
  controllerErrorRoundTrip(t, api, 1, wireError('NOT_CONTROLLER', ''));
});

t.test('createPartitions payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, { topics: [{ name: 'a' }] }, 'payload.topics[0].count');
  rejectsControllerRequest(t, api, { topics: [{ name: 'a', count: 2, assignments: [['1']] }] },
    'payload.topics[0].assignments[0][0]');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, topics: [{ ...NO_ERROR }] },
    'payload.topics[0].name');
});
