import t from 'tap';
import { ControllerApi, NO_ERROR, wireError } from '../../../../protocol/controller/index.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.alterPartition;
const request = {
  brokerId: 1, brokerEpoch: 12, topicId: 'x7kqzQW9TjGfMX8XqXKqLw', partitionId: 0,
  leaderEpoch: 3, partitionEpoch: 7, newIsr: [1, 2],
};

t.test('alterPartition request and reply survive a round trip (KIP-497)', async (t) => {
  controllerRequestRoundTrip(t, api, request);
  controllerReplyRoundTrip(t, api, 1,
    { leader: 1, leaderEpoch: 3, partitionEpoch: 8, isr: [1, 2] });
  controllerReplyRoundTrip(t, api, 1, { leader: -1, leaderEpoch: 4, partitionEpoch: 9, isr: [] });
  controllerErrorRoundTrip(t, api, 1, wireError('FENCED_LEADER_EPOCH', ''));
});

t.test('alterPartition payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, { ...request, newIsr: [1, 'b'] }, 'payload.newIsr[1]');
  rejectsControllerRequest(t, api, { ...request, partitionId: -1 }, 'payload.partitionId');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, leader: 1, leaderEpoch: 3,
    partitionEpoch: 8, isr: 'one,two' }, 'payload.isr');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, leader: -2, leaderEpoch: 3,
    partitionEpoch: 8, isr: [] }, 'payload.leader');
});
