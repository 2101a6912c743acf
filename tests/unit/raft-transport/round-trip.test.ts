import t from 'tap';
import { Socket } from 'node:net';
import type { RaftMessage } from '../../../raft/core/types.js';
import { decodeFrame, encodeFrame } from '../../../raft/transport/frame-codec.js';
import { plain, sampleBodies, startPair, waitFor } from './fixtures/harness.js';

t.test('every RaftMessage body type survives encode and decode unchanged', async (t) => {
  for (const body of sampleBodies()) {
    const message: RaftMessage = { from: 1, to: 2, body };
    const decoded = decodeFrame(encodeFrame({ kind: 'raft', message }));
    if (!decoded.ok) {
      t.fail(`${body.type}: ${decoded.reason}`);
      continue;
    }
    t.same(plain(decoded.frame), plain({ kind: 'raft', message }), body.type);
  }
});

t.test('decoded entry data are Uint8Array views into the frame, not copies', async (t) => {
  const body = sampleBodies().find((b) => b.type === 'FetchResponse');
  const message = { from: 1, to: 2, body: body! };
  const frame = Buffer.from(encodeFrame({ kind: 'raft', message }));
  const decoded = decodeFrame(frame);
  t.ok(decoded.ok);
  if (!decoded.ok || decoded.frame.kind !== 'raft') return;
  const decodedBody = decoded.frame.message.body;
  if (decodedBody.type !== 'FetchResponse') return t.fail('wrong body type');
  const data = decodedBody.entries[1]!.data;
  t.ok(data instanceof Uint8Array);
  t.equal(data.buffer, frame.buffer, 'shares the frame buffer');
});

t.test('every body type travels between two transports intact and in order', async (t) => {
  const [a, b] = await startPair();
  t.teardown(() => Promise.all([a.transport.close(), b.transport.close()]));
  const bodies = sampleBodies();
  for (const body of bodies) a.transport.send({ from: 1, to: 2, body });
  for (const body of bodies) b.transport.send({ from: 2, to: 1, body });
  await waitFor('all messages', () =>
    a.received.length === bodies.length && b.received.length === bodies.length);
  t.same(b.received.map(plain), bodies.map((body) => plain({ from: 1, to: 2, body })));
  t.same(a.received.map(plain), bodies.map((body) => plain({ from: 2, to: 1, body })));
  const fetch = b.received.find((m) => m.body.type === 'FetchResponse')!.body;
  if (fetch.type === 'FetchResponse') t.ok(fetch.entries[1]!.data instanceof Uint8Array);
  const stats = a.transport.stats();
  const peer2 = stats.peers.find((p) => p.nodeId === 2)!;
  t.equal(peer2.messagesSent, bodies.length);
  t.equal(peer2.messagesReceived, bodies.length);
  t.equal(peer2.messagesDropped, 0);
  t.ok(peer2.connected && peer2.inboundConnected);
  t.equal(stats.badFrames, 0);
});

t.test('a message to self or to an unknown node is dropped and counted', async (t) => {
  const [a, b] = await startPair();
  t.teardown(() => Promise.all([a.transport.close(), b.transport.close()]));
  const body = sampleBodies()[0]!;
  a.transport.send({ from: 1, to: 1, body });
  a.transport.send({ from: 1, to: 9, body });
  t.equal(a.transport.stats().unroutableMessages, 2);
  t.throws(() => a.transport.send({ from: 5, to: 2, body }), { name: 'AssertionFailure' });
});

t.test('Nagle is disabled on both ends of a peer connection', async (t) => {
  const calls: unknown[] = [];
  const original = Socket.prototype.setNoDelay;
  Socket.prototype.setNoDelay = function (this: Socket, noDelay?: boolean) {
    calls.push(noDelay);
    return original.call(this, noDelay);
  };
  const [a, b] = await startPair();
  t.teardown(async () => {
    Socket.prototype.setNoDelay = original;
    await Promise.all([a.transport.close(), b.transport.close()]);
  });
  a.transport.send({ from: 1, to: 2, body: sampleBodies()[0]! });
  await waitFor('delivery', () => b.received.length === 1);
  // ws calls setNoDelay() (default true) on both sockets; the transport adds explicit calls.
  t.ok(calls.length >= 2, `setNoDelay called ${calls.length} times`);
  t.notOk(calls.includes(false), 'never re-enabled');
});
