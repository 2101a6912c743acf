import t from 'tap';
import { ControllerApi, NO_ERROR, wireError } from '../../../../protocol/controller/index.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.deleteTopics;

t.test('deleteTopics request and reply survive a round trip (names first, then ids)',
  async (t) => {
    controllerRequestRoundTrip(t, api, { names: ['orders'], topicIds: ['x7kqzQW9TjGfMX8XqXKqLw'] });
    controllerRequestRoundTrip(t, api, {});
    controllerReplyRoundTrip(t, api, 3, {
      topics: [
        { ...NO_ERROR, name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' },
        { ...wireError('UNKNOWN_TOPIC_ID', ''), requested: 'x7kqzQW9TjGfMX8XqXKqLw' },
      ],
    });
    controllerErrorRoundTrip(t, api, -1, wireError('REQUEST_TIMED_OUT', 'no answer'));
  });

t.test('deleteTopics payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, { names: 'orders' }, 'payload.names');
  rejectsControllerRequest(t, api, { topicIds: [1] }, 'payload.topicIds[0]');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, topics: [{ ...NO_ERROR,
    requested: 5 }] }, 'payload.topics[0].requested');
});
