import t from 'tap';
import { decodeRequest, encodeRequest } from '../../../../protocol/index.js';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

// Buffers, because msgpackr decodes `bin` as a Buffer and strictSame compares prototypes.
const batch = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 49, 255, 255, 255, 255, 2]);

t.test('Produce request and response survive a round trip', async (t) => {
  for (const acks of [-1, 0, 1] as const) {
    requestRoundTrip(t, 'Produce', {
      acks, timeoutMs: 30_000,
      topics: [{ name: 'orders', partitions: [
        { partitionIndex: 0, records: batch },
        { partitionIndex: 2, records: Buffer.concat([batch, batch]) },
      ] }],
    });
  }
  responseRoundTrip(t, 'Produce', {
    throttleTimeMs: 0,
    topics: [{ name: 'orders', partitions: [
      { partitionIndex: 0, errorCode: 0, errorMessage: null, baseOffset: 42,
        logAppendTimeMs: -1, logStartOffset: 0 },
      { partitionIndex: 2, errorCode: 6, errorMessage: 'not the leader', baseOffset: -1,
        logAppendTimeMs: -1, logStartOffset: -1, currentLeader: { leaderId: 3, leaderEpoch: 7 } },
    ] }],
  });
});

t.test('Produce records arrive as bytes (a Uint8Array, Buffer on Node)', async (t) => {
  const records = new Uint8Array([1, 2, 3]);
  const decoded = decodeRequest(encodeRequest('Produce', { correlationId: 1, clientId: null }, {
    acks: 1, timeoutMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, records }] }],
  }));
  t.equal(decoded.kind, 'request');
  if (decoded.kind !== 'request' || decoded.request.api !== 'Produce') return;
  const got = decoded.request.payload.topics[0]?.partitions[0]?.records;
  t.ok(got instanceof Uint8Array);
  t.same([...(got ?? [])], [1, 2, 3]);
});

t.test('a malformed Produce payload names the field', async (t) => {
  const topics = [{ name: 'x', partitions: [{ partitionIndex: 0, records: batch }] }];
  rejectsPayload(t, 'Produce', { acks: 2, timeoutMs: 0, topics }, 'payload.acks');
  rejectsPayload(t, 'Produce', { acks: 1, timeoutMs: -1, topics }, 'payload.timeoutMs');
  rejectsPayload(t, 'Produce', { acks: 1, timeoutMs: 0,
    topics: [{ name: 'x', partitions: [{ partitionIndex: 0, records: 'abc' }] }] },
  'payload.topics[0].partitions[0].records');
  rejectsPayload(t, 'Produce', { acks: 1, timeoutMs: 0,
    topics: [{ name: 'x', partitions: [{ partitionIndex: -1, records: batch }] }] },
  'payload.topics[0].partitions[0].partitionIndex');
  rejectsResponse(t, 'Produce', { throttleTimeMs: 0, topics: [{ name: 'x', partitions: [
    { partitionIndex: 0, errorCode: 0, errorMessage: null, baseOffset: -2, logAppendTimeMs: -1,
      logStartOffset: 0 }] }] }, 'payload.topics[0].partitions[0].baseOffset');
});
