/**
 * One bad client never harms a broker, another client or stored data (issue: the data plane).
 * A real combined node with socket.request.max.bytes of 1 MiB gets, on raw WebSockets: a text
 * frame, bytes that are not msgpack, a request whose payload breaks its schema, an oversized
 * frame, a Produce whose batch has a bad CRC, and streams of bad frames. Each is refused with a
 * closed connection or a typed error, logged once per connection, and meanwhile a well-behaved
 * producer and consumer keep working and find exactly the records they wrote.
 */
import { Packr } from 'msgpackr';
import t from 'tap';
import WebSocket from 'ws';
import { ApiKey, decodeResponse, encodeRequest, ErrorCode } from '../../protocol/index.js';
import { encodeRecordBatch } from '../../protocol/records/index.js';
import { startSingleNode } from '../harness/single-node.js';

const MAX_FRAME_BYTES = 1024 * 1024;
const { cluster, url } = await startSingleNode(t,
  { 'socket.request.max.bytes': MAX_FRAME_BYTES });

interface Outcome { closeCode?: number; reply?: ReturnType<typeof decodeResponse> }

/** Sends one frame on a fresh connection; resolves with the reply or the close code. */
function sendRaw(frame: string | Uint8Array): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error('no reply and no close')), 10_000);
    socket.on('error', () => undefined);
    socket.on('open', () => socket.send(frame));
    socket.on('message', (data) => {
      clearTimeout(timer);
      resolve({ reply: decodeResponse(data as Buffer) });
      socket.close();
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve({ closeCode: code });
    });
  });
}

const producer = cluster.kafka(undefined, 'good-producer').producer();
await producer.connect();
let written = 0;
async function goodWrite(): Promise<void> {
  await producer.send({ topic: 'good', acks: -1, messages: [{ value: `good-${written}` }] });
  written++;
}

t.test('a text frame closes that connection only', async (t) => {
  t.equal((await sendRaw('hello')).closeCode, 1003);
  await goodWrite();
});

t.test('bytes that are not msgpack close that connection only', async (t) => {
  t.equal((await sendRaw(new Uint8Array([0xc1, 0xff, 0x00, 0x13]))).closeCode, 4000);
  await goodWrite();
});

t.test('a payload that breaks its schema gets INVALID_REQUEST naming the field', async (t) => {
  const frame = new Packr({ useRecords: false }).pack({
    correlationId: 7, api: ApiKey.Metadata, version: 0, clientId: 'bad',
    payload: { topics: 'not-a-list', allowAutoTopicCreation: false },
  });
  const { reply } = await sendRaw(frame);
  t.equal(reply?.kind, 'response');
  if (reply?.kind === 'response') {
    t.equal(reply.correlationId, 7);
    t.equal(reply.errorCode, ErrorCode.INVALID_REQUEST);
    t.match(reply.errorMessage, /topics/);
  }
  await goodWrite();
});

t.test('a frame over socket.request.max.bytes is refused', async (t) => {
  const outcome = await sendRaw(new Uint8Array(MAX_FRAME_BYTES + 1024));
  t.ok(outcome.closeCode !== undefined && outcome.closeCode !== 1000,
    `closed with ${outcome.closeCode}`);
  await goodWrite();
});

t.test('a batch with a bad CRC gets CORRUPT_MESSAGE and nothing is stored', async (t) => {
  const batch = encodeRecordBatch([{ key: null, value: Buffer.from('evil'), timestampMs: 1 }]);
  batch[batch.length - 1]! ^= 0xff; // inside the CRC-covered records
  const frame = encodeRequest('Produce', { correlationId: 9, clientId: 'bad' }, {
    acks: -1, timeoutMs: 5_000,
    topics: [{ name: 'good', partitions: [{ partitionIndex: 0, records: batch }] }],
  });
  const { reply } = await sendRaw(frame);
  t.equal(reply?.kind, 'response');
  if (reply?.kind === 'response') {
    const payload = reply.payload as {
      topics: { partitions: { errorCode: number; errorMessage: string | null }[] }[];
    };
    t.equal(payload.topics[0]?.partitions[0]?.errorCode, ErrorCode.CORRUPT_MESSAGE);
  }
  await goodWrite();
});

/**
 * Sends every frame on one fresh connection at once; closes after `replies` answers. Resolves
 * with the answers and the close code.
 */
function sendStream(frames: readonly Uint8Array[], replies: number):
  Promise<{ answers: number; closeCode: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error('the stream never closed')), 10_000);
    let answers = 0;
    socket.on('error', () => undefined);
    socket.on('open', () => { for (const frame of frames) socket.send(frame); });
    socket.on('message', () => {
      if (++answers === replies) socket.close();
    });
    socket.on('close', (closeCode) => {
      clearTimeout(timer);
      resolve({ answers, closeCode });
    });
  });
}

t.test('a stream of bad frames is logged once per connection, closed once (issue 9)',
  async (t) => {
    const node = cluster.process(1);
    const from = node.lines.length;
    const garbage = Array(50).fill(new Uint8Array([0xc1, 0xff, 0x00, 0x13]));
    const invalid = Array.from({ length: 50 }, (_, i) => new Packr({ useRecords: false }).pack({
      correlationId: i, api: ApiKey.Metadata, version: 0, clientId: 'bad',
      payload: { topics: 'not-a-list', allowAutoTopicCreation: false },
    }));
    const [closed, answered] = await Promise.all([sendStream(garbage, Infinity),
      sendStream(invalid, invalid.length)]);
    t.equal(closed.closeCode, 4000, 'the garbage stream is closed with 4000');
    t.equal(closed.answers, 0, 'and gets no answer');
    t.equal(answered.answers, 50, 'each invalid request is answered');
    await goodWrite();
    const lines = node.lines.slice(from);
    t.notOk(lines.some((line) => /MaxListenersExceededWarning/.test(line)),
      'no close listener piles up on a closing socket');
    const logged = lines.filter((line) => /Client connection \d+ from/.test(line));
    t.equal(logged.length, 2, `one line per connection: ${logged.join(' | ')}`);
    t.match(logged.find((line) => /closing it/.test(line)), /closing it \(4000\): malformed/);
    t.match(logged.find((line) => /INVALID_REQUEST/.test(line)), /payload\.topics/);
  });

t.test('the good client\'s records are all there, and only they', async (t) => {
  await producer.disconnect();
  const consumer = cluster.kafka(undefined, 'good-consumer').consumer();
  await consumer.connect();
  consumer.assign([{ topic: 'good', partitions: [0] }]);
  consumer.seek({ topic: 'good', partition: 0, offset: 'earliest' });
  const values: string[] = [];
  for await (const { message } of consumer.messages()) {
    values.push(message.value?.toString() ?? '');
    if (values.length === written) break;
  }
  await consumer.disconnect();
  t.same(values, Array.from({ length: written }, (_, i) => `good-${i}`));
  const offsetsAdmin = cluster.kafka().admin();
  const [offsets] = await offsetsAdmin.fetchTopicOffsets('good');
  await offsetsAdmin.disconnect();
  t.equal(offsets?.high, String(written), 'no record of the bad clients was stored');
  t.ok(cluster.process(1).running, 'the node still runs');
});
