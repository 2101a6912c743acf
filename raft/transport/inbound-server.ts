/**
 * The listening side: an HTTP server that only upgrades to WebSocket, with permessage-deflate
 * off (frames carry already-compact msgpack; deflate would cost CPU and latency) and maxPayload
 * set to maxFrameBytes, so ws rejects an oversized frame before buffering it whole.
 * Accepted sockets become InboundConnections; beyond maxInboundConnections they are closed
 * with 1013 (try again later).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CloseCode } from './errors.js';
import { InboundConnection } from './inbound-connection.js';
import type { InboundContext } from './inbound-connection.js';
import { closeSocket } from '../../lib/ws-close.js';

export interface InboundServer {
  readonly port: number;
  /** Every live connection, identified or not. */
  readonly connections: ReadonlySet<InboundConnection>;
  close(): Promise<void>;
}

export async function listenInbound(
  host: string,
  port: number,
  context: InboundContext,
): Promise<InboundServer> {
  const { limits, counters } = context;
  const httpServer = createServer((_request, response) => {
    response.writeHead(426, { connection: 'close' }).end();
  });
  const wss = new WebSocketServer({
    server: httpServer,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const connections = new Set<InboundConnection>();
  let nextConnectionId = 1;
  let closing = false;
  wss.on('error', () => undefined); // listen errors surface through httpServer below
  wss.on('connection', (socket, request) => {
    // ws calls setNoDelay() itself; repeated here so the latency choice is explicit.
    request.socket.setNoDelay(true);
    if (closing || connections.size >= limits.maxInboundConnections) {
      counters.rejectedConnections += 1;
      socket.on('error', () => undefined);
      const reason = 'too many connections';
      void closeSocket(socket, CloseCode.tryAgainLater, reason, limits.closeGraceMs);
      return;
    }
    const remoteAddress = request.socket.remoteAddress ?? '';
    const remotePort = request.socket.remotePort ?? 0;
    const connection = new InboundConnection(nextConnectionId++, socket, remoteAddress,
      remotePort, context, (closed) => {
        connections.delete(closed);
        context.connectionClosed(closed);
      });
    connections.add(connection);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  httpServer.on('error', () => undefined);
  const bound = httpServer.address() as AddressInfo;

  return {
    port: bound.port,
    connections,
    async close() {
      closing = true;
      const serverClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.all([...connections].map((c) => c.close(CloseCode.goingAway, 'shutting down')));
      httpServer.closeAllConnections();
      wss.close();
      await serverClosed;
    },
  };
}
