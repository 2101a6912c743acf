/**
 * Typed answers and their encoding: handlers return a ServedAnswer, the listener encodes it.
 * The frame must be the one the handler used to encode itself, byte for byte, so moving the
 * encoding to the listener changed nothing on the wire.
 */
import t from 'tap';
import {
  ErrorCode, NO_RESPONSE, decodeRequest, decodeResponse, encodeAnswer, encodeErrorResponse,
  encodeRequest, encodeResponse, parseResponse, respond, respondWithError,
  type FetchResponse, type ServedRequest,
} from '../../../protocol/index.js';

function decoded(request: Uint8Array): ServedRequest {
  const result = decodeRequest(request);
  if (result.kind !== 'request') throw new Error(`not a request: ${JSON.stringify(result)}`);
  return result.request;
}

const fetchRequest = decoded(encodeRequest('Fetch', { correlationId: 41, clientId: 'c' }, {
  replicaId: -1, replicaEpoch: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1024, isolationLevel: 0,
  topics: [],
}));

t.test('a typed Fetch answer encodes to encodeResponse\'s frame, records as-is', async (t) => {
  // A view into a larger buffer, as the log hands out stored batches.
  const stored = Buffer.from('xxxxstored-batch-bytesyyyy');
  const records = stored.subarray(4, 22);
  const response: FetchResponse = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: [{
    name: 'orders', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE,
      highWatermark: 3, lastStableOffset: 3, logStartOffset: 0, records }],
  }] };
  if (fetchRequest.api !== 'Fetch') throw new Error('expected a Fetch');
  const answer = respond(fetchRequest, response);
  t.match(answer, { kind: 'response', api: 'Fetch', correlationId: 41 });
  t.equal(answer.kind === 'response' && answer.response, response, 'the response, not a copy');
  const frame = encodeAnswer(answer);
  t.same(frame, encodeResponse('Fetch', 41, response), 'the same bytes as before the change');
  const back = decodeResponse(frame!);
  if (back.kind !== 'response') throw new Error(back.reason);
  const parsed = parseResponse('Fetch', back.payload);
  t.same(parsed.ok && Buffer.from(parsed.value.topics[0]!.partitions[0]!.records!),
    Buffer.from('stored-batch-bytes'));
});

t.test('an error answer encodes as encodeErrorResponse, no response as nothing', async (t) => {
  const error = respondWithError(fetchRequest, ErrorCode.UNSUPPORTED_VERSION, 'not here');
  t.strictSame(error, { kind: 'error', api: 'Fetch', correlationId: 41,
    errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'not here' });
  t.same(encodeAnswer(error), encodeErrorResponse(41, ErrorCode.UNSUPPORTED_VERSION, 'not here'));
  t.equal(encodeAnswer(NO_RESPONSE), undefined, 'Produce with acks=0 sends no frame');
});
