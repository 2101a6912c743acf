/**
 * raft/transport: moves Raft messages between controllers and carries requests from users of
 * the quorum, over WebSocket (ws) with msgpack frames (msgpackr).
 *
 * Owns:
 *  - the frame format (frame-schema.ts, frame-codec.ts): hello | raft | request | response,
 *    one msgpack map per WebSocket binary message, plain maps (no msgpackr records);
 *  - validation at the trust boundary: every inbound frame passes a zod schema
 *    (raft-message-schema.ts has one per RaftMessage body, proven equal to raft/core/types.ts at
 *    compile time) before anything reads it;
 *  - WsRaftTransport (ws-raft-transport.ts): a listener for inbound connections plus one lazy,
 *    self-healing outbound connection per peer (peer-link.ts) with a bounded drop-oldest queue;
 *  - the request channel: RequestDispatcher on the server, QuorumClient on the caller's side;
 *  - error codes with retriable flags and WebSocket close codes (errors.ts);
 *  - limits (limits.ts) and counters (transport-stats.ts).
 *
 * Contracts:
 *  - send() never blocks and never throws on network conditions (a message not from this node
 *    is a bug and asserts); delivery is best effort: lost, duplicated and reordered messages
 *    across reconnects are Raft's to handle. Within one connection order is FIFO.
 *  - onMessage handlers receive only validated messages with `from` equal to the sending peer's
 *    hello and `to` equal to this node. Entry data and snapshot bytes are Uint8Array views into
 *    the received frame: keep them if needed, but do not write to them.
 *  - onPeerDisconnected(nodeId) fires once per established connection to or from that peer
 *    that closes; not for failed connection attempts, and not during close().
 *  - Bad input (malformed, oversized, wrong cluster, spoofed sender) closes that connection with
 *    a CloseCode, or for a request with a readable correlation id answers INVALID_REQUEST;
 *    it never throws and never affects other connections.
 *  - Request handlers get an unvalidated payload and must validate it; they reply exactly once.
 *
 * Ordering: per connection, frames are handled in arrival order, synchronously in ws's
 * 'message' event; a handler that throws is a bug and crashes the process (never caught here).
 */
export type {
  ConnectionInfo,
  PeerAddress,
  RaftTransport,
  RequestHandler,
  RequestResult,
  RequestServer,
} from './types.js';
export { createWsRaftTransport } from './ws-raft-transport.js';
export type { WsRaftTransport, WsRaftTransportOptions } from './ws-raft-transport.js';
export { createQuorumClient } from './quorum-client.js';
export type { QuorumClient, QuorumClientOptions, QuorumClientStats } from './quorum-client.js';
export {
  CloseCode,
  TransportError,
  TransportErrorCode,
  errorCodeInfo,
  type ErrorCodeInfo,
  type TransportErrorName,
} from './errors.js';
export { defaultTransportLimits, FRAME_OVERHEAD_BYTES, type TransportLimits } from './limits.js';
export type { PeerStats, TransportStats } from './transport-stats.js';
export { decodeFrame, encodeFrame, type DecodeResult } from './frame-codec.js';
export { PROTOCOL_VERSION, type Frame } from './frame-schema.js';
export { raftMessageSchema, raftMessageBodySchema } from './raft-message-schema.js';
