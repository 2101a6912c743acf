import t from 'tap';
import {
  ApiKey, ErrorCode, decodeRequest, decodeResponse, encodeErrorResponse, encodeRequest,
  parseResponse,
} from '../../../protocol/index.js';
import { createPrng } from '../../../lib/prng.js';
import { packRaw } from './fixtures/round-trip.js';

const metadataRequest = (fields: Record<string, unknown> = {}) => ({
  correlationId: 11, api: ApiKey.Metadata, version: 0, clientId: 'c',
  payload: { topics: null, allowAutoTopicCreation: false }, ...fields,
});

t.test('a request with a readable correlation id gets INVALID_REQUEST naming the field', async (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing version', { version: undefined }, 'Invalid request: version:'],
    ['a string api key', { api: 'Metadata' }, 'Invalid request: api:'],
    ['an unknown api key', { api: 999 }, 'Invalid request: api: unknown api key 999'],
    ['a Kafka key raftka does not serve', { api: 9 },
      'Invalid request: api: unknown api key 9'],
    ['a numeric client id', { clientId: 5 }, 'Invalid request: clientId:'],
    ['a bad payload', { payload: { topics: 'all', allowAutoTopicCreation: false } },
      'Invalid Metadata request: payload.topics:'],
  ];
  for (const [what, fields, message] of cases) {
    const decoded = decodeRequest(packRaw(metadataRequest(fields)));
    t.match(decoded, { kind: 'error', correlationId: 11, errorCode: ErrorCode.INVALID_REQUEST },
      what);
    if (decoded.kind === 'error') t.match(decoded.errorMessage, message, what);
  }
});

t.test('an unsupported version gets UNSUPPORTED_VERSION with the supported range', async (t) => {
  const decoded = decodeRequest(packRaw(metadataRequest({ version: 12 })));
  t.strictSame(decoded, { kind: 'error', correlationId: 11, errorCode: ErrorCode.UNSUPPORTED_VERSION,
    errorMessage: 'Metadata version 12 is not supported (supported: 0-0)' });
});

t.test('a frame with no readable correlation id closes the connection', async (t) => {
  const cases: [string, Uint8Array, string][] = [
    ['not msgpack', Uint8Array.from([0xff, 0xff, 0xc1]), 'malformed msgpack'],
    ['a reserved msgpack byte', Uint8Array.from([0xc1]), 'Invalid request'],
    ['truncated msgpack', Uint8Array.from([0x92, 0x01]), 'malformed msgpack'],
    ['trailing bytes', Uint8Array.from([...packRaw(metadataRequest()), 0]), 'malformed msgpack'],
    ['an array', packRaw([1, 2, 3]), 'Invalid request'],
    ['a negative correlation id', packRaw(metadataRequest({ correlationId: -1 })),
      'Invalid request: correlationId'],
    ['no correlation id', packRaw(metadataRequest({ correlationId: undefined })),
      'Invalid request: correlationId'],
    ['a string', packRaw('hello'), 'Invalid request'],
  ];
  for (const [what, bytes, reason] of cases) {
    const decoded = decodeRequest(bytes);
    t.equal(decoded.kind, 'close', what);
    if (decoded.kind === 'close') t.match(decoded.reason, reason, what);
  }
});

t.test('the frame limit is a parameter; larger frames close the connection', async (t) => {
  const bytes = encodeRequest('Metadata', { correlationId: 1, clientId: 'c' },
    { topics: Array.from({ length: 100 }, (_, i) => `topic-${i}`), allowAutoTopicCreation: false });
  t.equal(decodeRequest(bytes, { maxFrameBytes: bytes.byteLength }).kind, 'request', 'at the limit');
  t.match(decodeRequest(bytes, { maxFrameBytes: bytes.byteLength - 1 }),
    { kind: 'close', reason: /exceeds/ }, 'one byte over');
  t.match(decodeResponse(bytes, { maxFrameBytes: 10 }), { kind: 'malformed', reason: /exceeds/ });
});

t.test('the decoders never throw on random bytes (seeded)', async (t) => {
  const prng = createPrng(20_240_601);
  const valid = packRaw(metadataRequest());
  for (let i = 0; i < 2_000; i++) {
    const bytes = i % 2 === 0
      ? Uint8Array.from({ length: prng.nextInt(0, 64) }, () => prng.nextInt(0, 256))
      : valid.map((byte) => (prng.chance(0.125) ? prng.nextInt(0, 256) : byte));
    decodeRequest(bytes);
    decodeResponse(bytes);
  }
  t.pass('2000 random frames decoded without a throw');
});

t.test('error responses carry the code and message; absent means NONE', async (t) => {
  t.strictSame(decodeResponse(encodeErrorResponse(4, ErrorCode.INVALID_REQUEST, 'bad')), {
    kind: 'response', correlationId: 4, errorCode: 42, errorMessage: 'bad', payload: undefined,
  });
  t.match(decodeResponse(packRaw({ correlationId: 4, payload: {} })),
    { kind: 'response', errorCode: 0, errorMessage: null });
  t.match(decodeResponse(packRaw({ correlationId: 4, errorCode: 'oops' })),
    { kind: 'malformed', correlationId: 4, reason: /errorCode/ });
  t.match(decodeResponse(packRaw({ errorCode: 0 })), { kind: 'malformed', reason: /correlationId/ });
  t.match(parseResponse('DescribeCluster', undefined),
    { ok: false, message: /^Invalid DescribeCluster response: payload:/ });
});
