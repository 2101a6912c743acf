/**
 * The broker's client listener: a WebSocket server speaking protocol/ frames (Kafka's
 * SocketServer + RequestChannel, in one event loop).
 *
 * - Every frame is decoded at this boundary; decodeRequest never throws. A frame with a
 *   readable correlation id but invalid content is answered with INVALID_REQUEST naming the
 *   field (or UNSUPPORTED_VERSION); anything less readable closes that connection only
 *   (code 4000 with the reason). Text frames close the connection (1003).
 * - Many requests may be in flight on one connection; answers go out as they are ready, in any
 *   order, matched by correlation id. Over `maxInFlightPerConnection` (Kafka's
 *   queued.max.requests) the connection stops being read until answers drain: the client gets
 *   TCP backpressure, and other connections are not affected. Each connection also gets a
 *   fair share of every event-loop turn (connection-reader.ts), and a frame over its API's
 *   limits is refused before it is decoded (protocol/request-limits.ts).
 * - A connection's first problem is logged once; a closing connection's frames are dropped
 *   (connection-guard.ts).
 * - At most `maxConnections` connections; more are refused at the handshake (HTTP 503).
 * - `serve` returns a typed answer (protocol/served-response.ts); this listener owns the bytes
 *   and encodes it (encodeAnswer), sending nothing for no response (Produce with acks=0).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { closeSocket } from '../../lib/ws-close.js';
import {
  decodeRequest, encodeAnswer, encodeErrorResponse, errorInfo, type ServedAnswer,
  type ServedRequest,
} from '../../protocol/index.js';
import { ConnectionGuard } from './connection-guard.js';
import { ConnectionReader } from './connection-reader.js';

const CLOSE_GRACE_MS = 500;

export interface ClientConnection {
  readonly id: number;
  readonly remoteAddress: string;
}

export type ServeRequest = (
  request: ServedRequest, connection: ClientConnection,
) => Promise<ServedAnswer> | ServedAnswer;

export interface ClientListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxFrameBytes: number;
  readonly maxInFlightPerConnection: number;
  readonly maxConnections: number;
  readonly serve: ServeRequest;
  readonly log: (line: string) => void;
}

export interface ClientListener {
  readonly port: number;
  readonly connectionCount: () => number;
  close(): Promise<void>;
}

export async function listenForClients(options: ClientListenerOptions): Promise<ClientListener> {
  const server = new WebSocketServer({
    host: options.host,
    port: options.port,
    maxPayload: options.maxFrameBytes,
    perMessageDeflate: false,
    verifyClient: (_info, done) => {
      if (server.clients.size < options.maxConnections) done(true);
      else done(false, 503, 'too many connections');
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('error', (error) => options.log(`client listener error: ${error.message}`));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no listen address');
  let nextId = 1;
  server.on('connection', (socket, request) => {
    accept(socket, {
      id: nextId++, remoteAddress: `${request.socket.remoteAddress}:${request.socket.remotePort}`,
    }, options);
  });
  return {
    port: address.port,
    connectionCount: () => server.clients.size,
    async close() {
      await Promise.all([...server.clients].map((client) =>
        closeSocket(client, 1001, 'broker shutting down', CLOSE_GRACE_MS)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function accept(socket: WebSocket, connection: ClientConnection, options: ClientListenerOptions) {
  const guard = new ConnectionGuard(socket, connection, options.log, CLOSE_GRACE_MS);
  const done = (response: Uint8Array | undefined): void => {
    if (response !== undefined && socket.readyState === socket.OPEN) socket.send(response);
    reader.requestFinished();
  };
  const handle = (data: Buffer): void => {
    const decoded = decodeRequest(data, { maxFrameBytes: options.maxFrameBytes });
    if (decoded.kind === 'close') {
      reader.stop();
      guard.close(4000, decoded.reason);
      return;
    }
    if (decoded.kind === 'error') {
      guard.report(`${errorInfo(decoded.errorCode).name}: ${decoded.errorMessage}`);
      socket.send(encodeErrorResponse(decoded.correlationId, decoded.errorCode,
        decoded.errorMessage));
      return;
    }
    reader.requestStarted();
    const answer = options.serve(decoded.request, connection);
    if (answer instanceof Promise) answer.then((ready) => done(encodeAnswer(ready)));
    else done(encodeAnswer(answer));
  };
  const reader = new ConnectionReader({
    handle, maxInFlight: options.maxInFlightPerConnection,
    pause: () => socket.pause(), resume: () => socket.resume(),
  });
  socket.on('error', () => undefined); // 'close' follows; nothing else to clean up
  socket.on('close', () => reader.stop());
  socket.on('message', (data, isBinary) => {
    if (guard.closing) return; // a closing socket's frames are dropped unread
    if (!isBinary || !Buffer.isBuffer(data)) {
      reader.stop();
      guard.close(1003, 'binary frames only');
      return;
    }
    reader.receive(data);
  });
}
