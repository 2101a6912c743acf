import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { closeReason, closeSocket } from '../../../lib/ws-close.js';

t.test('a socket is closed once: repeated calls add no close listener (issue 9)', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const accepted = once(server, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const closed = once(client, 'close');
  const [socket] = (await accepted) as [WebSocket];
  const listenersBefore = socket.listenerCount('close');
  const first = closeSocket(socket, 4000, 'bad frame', 1_000);
  const later = Array.from({ length: 20 }, () => closeSocket(socket, 4000, 'bad frame', 1_000));
  t.equal(socket.listenerCount('close'), listenersBefore + 1, 'one listener for 21 calls');
  t.ok(later.every((promise) => promise === first), 'later calls share the first close');
  await first;
  const [code, reason] = (await closed) as [number, Buffer];
  t.equal(code, 4000);
  t.equal(reason.toString(), 'bad frame');
  await closeSocket(socket, 4000, 'again', 1_000);
  t.pass('a closed socket resolves at once');
});

t.test('a close reason is cut to the 123 bytes of a close frame (RFC 6455 §5.5)', async (t) => {
  t.equal(Buffer.byteLength(closeReason('é'.repeat(100))), 122);
  t.equal(closeReason('short'), 'short');
});
