/**
 * raft/transport: moves Raft messages between controllers (and to and from observers: brokers
 * that follow the metadata log, KIP-595) and carries requests from users of the quorum, over
 * WebSocket (ws) with msgpack frames (msgpackr).
 *
 * Owns:
 *  - the frame format (frame-schema.ts, frame-codec.ts): hello | raft | request | response,
 *    one msgpack map per WebSocket binary message, plain maps (no msgpackr records);
 *  - validation at the trust boundary: every inbound frame passes a zod schema
 *    (raft-message-schema.ts has one per RaftMessage body, proven equal to raft/core/types.ts at
 *    compile time) before anything reads it;
 *  - WsRaftTransport (ws-raft-transport.ts): a listener for inbound connections plus one lazy,
 *    self-healing outbound connection per peer (peer-link.ts) with a bounded drop-oldest queue;
 *  - observers: a voter created with acceptObservers admits hellos from node ids not in its
 *    `peers` (at most limits.maxObserverConnections) and answers them over the connection they
 *    dialled, which the observer's PeerLink reads; observers need not be reachable at all;
 *  - the request channel: RequestDispatcher on the server, QuorumClient on the caller's side;
 *  - error codes with retriable flags and WebSocket close codes (errors.ts);
 *  - limits (limits.ts) and counters (transport-stats.ts).
 *
 * Contracts:
 *  - send() never blocks and never throws on network conditions (a message not from this node
 *    is a bug and asserts); delivery is best effort: lost, duplicated and reordered messages
 *    across reconnects are Raft's to handle. Within one connection order is FIFO.
 *  - Routing: a node in `peers` gets its messages on our outbound link to its address; any other
 *    node (an observer) on the newest connection it opened to us, unqueued (dropped when
 *    congested); with neither, the message is dropped and counted as unroutable.
 *  - onMessage handlers receive only validated messages with `from` equal to the sending node's
 *    hello (inbound) or to the dialled peer (messages coming back on an outbound link) and `to`
 *    equal to this node. Entry data and snapshot bytes are Uint8Array views into the received
 *    frame: keep them if needed, but do not write to them.
 *  - onPeerDisconnected(nodeId) fires once per established connection to or from that peer or
 *    observer that closes; not for failed connection attempts, not for a connection superseded
 *    by a newer one from the same node, and not during close().
 *  - Node ids are trusted, not authenticated: a hello naming a configured peer is treated as
 *    that peer (it supersedes the peer's inbound connection), whoever sent it. Deploy on a
 *    trusted network.
 *  - Bad input (malformed, oversized, wrong cluster, spoofed sender), inbound or on an outbound
 *    link (which then reconnects), closes that connection with a CloseCode, or for a request
 *    with a readable correlation id answers INVALID_REQUEST; it never throws and never affects
 *    other connections.
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
