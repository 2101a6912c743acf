import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import t from 'tap';
import { WebSocketServer, type WebSocket } from 'ws';
import { connect, endpointUrl } from '../../../lib/connector.js';

const HOST = '127.0.0.1';
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

t.test('endpointUrl brackets IPv6 literals once and defaults the path (RFC 3986 §3.2.2)',
  async (t) => {
    t.equal(endpointUrl({ host: HOST, port: 9092 }), 'ws://127.0.0.1:9092/');
    t.equal(endpointUrl({ host: '::1', port: 9093 }), 'ws://[::1]:9093/');
    t.equal(endpointUrl({ host: '[::1]', port: 9093 }), 'ws://[::1]:9093/');
    t.equal(endpointUrl({ host: 'broker-1', port: 1, path: 'raft' }), 'ws://broker-1:1/raft');
    t.equal(endpointUrl({ host: 'broker-1', port: 1, path: '/raft' }), 'ws://broker-1:1/raft');
  });

async function listen(t: Tap, options: { maxPayload?: number } = {}): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: HOST, port: 0, ...options });
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

function portOf(server: WebSocketServer): number {
  return (server.address() as AddressInfo).port;
}

t.test('connect opens a socket without per-message deflate on the given path', async (t) => {
  const server = await listen(t);
  const accepted = once(server, 'connection') as Promise<[WebSocket, { url?: string }]>;
  const socket = connect({ host: HOST, port: portOf(server), path: '/raft' },
    { maxFrameBytes: 1024, handshakeTimeoutMs: 2_000 });
  await once(socket, 'open');
  const [, request] = await accepted;
  t.equal(request.url, '/raft');
  t.equal(socket.extensions, '', 'no permessage-deflate negotiated');
  socket.terminate();
});

t.test('a frame over maxFrameBytes closes the connection with 1009 (message too big)',
  async (t) => {
    const server = await listen(t);
    const peerClosed = new Promise<number>((resolve) => {
      server.on('connection', (peer: WebSocket) => {
        peer.on('close', resolve);
        peer.send(Buffer.alloc(2_048));
      });
    });
    const socket = connect({ host: HOST, port: portOf(server) },
      { maxFrameBytes: 1_024, handshakeTimeoutMs: 2_000 });
    const errors: string[] = [];
    socket.on('error', (error) => errors.push(error.message));
    await new Promise((resolve) => socket.once('close', resolve));
    t.strictSame(errors, ['Max payload size exceeded']);
    t.equal(await peerClosed, 1009, 'the sender is told why');
  });

t.test('an upgrade that never completes fails after handshakeTimeoutMs', async (t) => {
  const sockets: Socket[] = [];
  const silent = createServer((peer) => sockets.push(peer)); // accepts TCP, never answers
  silent.listen(0, HOST);
  await once(silent, 'listening');
  t.teardown(() => {
    for (const peer of sockets) peer.destroy();
    silent.close();
  });
  const started = Date.now();
  const socket = connect({ host: HOST, port: (silent.address() as AddressInfo).port },
    { maxFrameBytes: 1_024, handshakeTimeoutMs: 100 });
  const [error] = (await once(socket, 'error')) as [Error];
  t.match(error.message, /timed out/i);
  t.ok(Date.now() - started < 2_000, 'within the timeout, not ws default');
});
