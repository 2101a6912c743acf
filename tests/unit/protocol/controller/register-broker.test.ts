import t from 'tap';
import { ControllerApi, NO_ERROR, wireError } from '../../../../protocol/controller/index.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.registerBroker;
const request = {
  brokerId: 100, clusterId: 'MkU3OEVBNTcwNTJENDM2Qk', incarnationId: 'x7kqzQW9TjGfMX8XqXKqLw',
  listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' }],
  rack: null, logDirs: ['/var/lib/raftka'],
};

t.test('registerBroker request and reply survive a round trip (KIP-631)', async (t) => {
  controllerRequestRoundTrip(t, api, request);
  controllerRequestRoundTrip(t, api, { ...request, rack: 'rack-a', listeners: [] });
  controllerReplyRoundTrip(t, api, 1, { brokerEpoch: 4_294_967_296 });
  controllerErrorRoundTrip(t, api, 1, wireError('INCONSISTENT_CLUSTER_ID',
    'Expected cluster ID a, but got cluster ID b'));
});

t.test('registerBroker payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, { ...request, brokerId: -1 }, 'payload.brokerId');
  rejectsControllerRequest(t, api, { ...request, listeners: [{ ...request.listeners[0],
    port: 70_000 }] }, 'payload.listeners[0].port');
  rejectsControllerRequest(t, api, { ...request, rack: undefined }, 'payload.rack');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1 }, 'payload.brokerEpoch');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, brokerEpoch: 2 ** 53 },
    'payload.brokerEpoch');
});
