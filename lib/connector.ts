/**
 * The one way out: every outbound WebSocket of the project (client connections, replica
 * fetchers, Raft peer links, quorum clients) is opened here, from a {host, port, path?}
 * endpoint, with the same options: no per-message deflate (record batches arrive compressed
 * by the producer and Raft frames are small), a frame limit (ws's maxPayload), a handshake
 * timeout, no redirects, and Nagle off.
 *
 * This is where transport security plugs in (Kafka's security.protocol): SSL would add a
 * protocol to ConnectOptions, switch the scheme to wss:// and pass the ssl.* options to ws;
 * a SASL exchange would run after 'open' and before the caller's first frame. Today every
 * connection is PLAINTEXT. Inbound listeners are not connectors and do not use this file.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** The request path of the upgrade; '/' when absent. */
  readonly path?: string;
}

export interface ConnectOptions {
  /** A larger inbound frame closes the connection (1009, message too big). */
  readonly maxFrameBytes: number;
  /** How long the TCP connect and the WebSocket upgrade may take together. */
  readonly handshakeTimeoutMs: number;
}

/** The URL of an endpoint: `ws://host:port/path`, IPv6 literals in brackets (RFC 3986 §3.2.2). */
export function endpointUrl(endpoint: Endpoint): string {
  const { host, port } = endpoint;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const path = endpoint.path ?? '/';
  return `ws://${bracketed}:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * Opens a socket to `endpoint`. The caller owns it from here: it must listen for 'error'
 * (ws emits it before 'close' on a failed connect) and for 'close'.
 */
export function connect(endpoint: Endpoint, options: ConnectOptions): WebSocket {
  const socket = new WebSocket(endpointUrl(endpoint), {
    perMessageDeflate: false,
    maxPayload: options.maxFrameBytes,
    handshakeTimeout: options.handshakeTimeoutMs,
    followRedirects: false,
  });
  // ws already disables Nagle in setSocket(); doing it here too keeps the intent visible.
  socket.on('upgrade', (response: IncomingMessage) => response.socket.setNoDelay(true));
  return socket;
}
