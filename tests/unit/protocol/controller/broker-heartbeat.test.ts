import t from 'tap';
import { ControllerApi, NO_ERROR, wireError } from '../../../../protocol/controller/index.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.brokerHeartbeat;
const request = {
  brokerId: 100, brokerEpoch: 17, currentMetadataOffset: 42, wantFence: false, wantShutDown: true,
};

t.test('brokerHeartbeat request and reply survive a round trip (KIP-631)', async (t) => {
  controllerRequestRoundTrip(t, api, request);
  controllerRequestRoundTrip(t, api, { ...request, brokerEpoch: -1, currentMetadataOffset: -1 });
  controllerReplyRoundTrip(t, api, 2, {
    isCaughtUp: true, isFenced: false, inControlledShutdown: true, shouldShutDown: false,
  });
  controllerErrorRoundTrip(t, api, 2, wireError('STALE_BROKER_EPOCH', ''));
});

t.test('brokerHeartbeat payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, { ...request, wantFence: 'no' }, 'payload.wantFence');
  rejectsControllerRequest(t, api, { ...request, currentMetadataOffset: -2 },
    'payload.currentMetadataOffset');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 2, isCaughtUp: true, isFenced: false,
    inControlledShutdown: false }, 'payload.shouldShutDown');
});
