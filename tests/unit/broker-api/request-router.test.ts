/**
 * The router is the one seam between every listener and the handlers: a decoded request goes
 * in, a typed answer comes out, and no bytes are seen (the listener encodes).
 */
import t from 'tap';
import type { ControllerChannel } from '../../../broker/controller-channel.js';
import { routeRequest, type RouterContext } from '../../../broker/api/request-router.js';
import { EMPTY_IMAGE } from '../../../metadata/index.js';
import {
  decodeRequest, encodeRequest, ErrorCode, NO_RESPONSE, servedApiVersions,
  type RequestOf, type ServedApiName, type ServedRequest,
} from '../../../protocol/index.js';

function request<N extends ServedApiName>(api: N, payload: RequestOf<N>): ServedRequest {
  const decoded = decodeRequest(encodeRequest(api, { correlationId: 5, clientId: 't' }, payload));
  if (decoded.kind !== 'request') throw new Error(`not a request: ${JSON.stringify(decoded)}`);
  return decoded.request;
}

function context(extra: Partial<RouterContext> = {}): RouterContext {
  return {
    identity: { brokerId: 1, clusterId: 'cluster', listenerName: 'PLAINTEXT' },
    image: () => EMPTY_IMAGE,
    channel: {} as ControllerChannel,
    voters: [],
    controllerListenerName: 'CONTROLLER',
    topicDefaults: new Map(),
    brokerConfigs: new Map(),
    ...extra,
  };
}

const connection = { id: 1, remoteAddress: 'test' };
const produce: RequestOf<'Produce'> = { acks: 1, timeoutMs: 100, topics: [] };

t.test('requests answered from the image come back as typed responses', async (t) => {
  const versions = await routeRequest(context(), request('ApiVersions',
    { clientSoftwareName: 'test', clientSoftwareVersion: '1' }), connection);
  t.same(versions, { kind: 'response', api: 'ApiVersions', correlationId: 5, response: {
    errorCode: ErrorCode.NONE, apiKeys: servedApiVersions(), throttleTimeMs: 0 } });
  const metadata = await routeRequest(context(),
    request('Metadata', { topics: ['orders'], allowAutoTopicCreation: false }), connection);
  t.match(metadata, { kind: 'response', api: 'Metadata', correlationId: 5, response: {
    topics: [{ name: 'orders', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] } });
});

t.test('data-plane requests go to the data plane, or fail whole without one', async (t) => {
  t.same(await routeRequest(context(), request('Produce', produce), connection), {
    kind: 'error', api: 'Produce', correlationId: 5, errorCode: ErrorCode.UNSUPPORTED_VERSION,
    errorMessage: 'Produce is not served by this broker yet' });
  const served: string[] = [];
  const dataPlane = {
    serve: (routed: ServedRequest) => {
      served.push(routed.api);
      return NO_RESPONSE;
    },
  };
  t.equal(await routeRequest(context({ dataPlane }), request('Produce', produce), connection),
    NO_RESPONSE, 'the data plane answer, untouched');
  t.same(served, ['Produce']);
});
