/**
 * The transport contract: best-effort delivery of Raft messages between controllers, plus a
 * request/response channel for users of the quorum (proposals, quorum status). Raft tolerates
 * loss, duplication and reordering, so send() never blocks and never throws: over a bounded
 * queue, messages are dropped and Raft's timeouts resend.
 */
import type { NodeId, RaftMessage } from '../core/types.js';

export interface RaftTransport {
  send(message: RaftMessage): void;
  onMessage(handler: (message: RaftMessage) => void): void;
  /** Called when an established connection to or from a peer closes (e.g. the peer crashed). */
  onPeerDisconnected(handler: (nodeId: NodeId) => void): void;
  close(): Promise<void>;
}

/** Where a peer controller listens. */
export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/** Who sent a request: what its hello said, plus the socket's remote end. */
export interface ConnectionInfo {
  /** Unique per transport instance, for logs and per-connection state in handlers. */
  readonly connectionId: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly identity:
    | { readonly kind: 'peer'; readonly nodeId: NodeId }
    | { readonly kind: 'client'; readonly clientId: string };
}

/** A handler's answer: a payload, or one of the transport's typed error codes. */
export type RequestResult =
  | { readonly ok: true; readonly payload: unknown }
  | {
      readonly ok: false;
      readonly error: { readonly code: string; readonly retriable: boolean };
      readonly message?: string;
    };

/**
 * Serves one request. `payload` is unvalidated msgpack: the handler owns the schema of its api
 * and must validate it (zod) before use. `reply` must be called exactly once (twice is a bug and
 * asserts); calling it after the connection closed is allowed and does nothing.
 */
export type RequestHandler = (
  api: string,
  payload: unknown,
  reply: (result: RequestResult) => void,
  connection: ConnectionInfo,
) => void;

/** The server side of the request channel (implemented by the WebSocket transport). */
export interface RequestServer {
  onRequest(handler: RequestHandler): void;
}
