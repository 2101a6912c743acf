/**
 * Counters for observability. They only ever grow (except the gauges `connected`,
 * `inboundConnected` and `queuedMessages`), so a scraper can compute rates from two samples.
 */
import type { NodeId } from '../core/types.js';

export interface PeerStats {
  readonly nodeId: NodeId;
  /** Gauge: our outbound connection to the peer is open. */
  readonly connected: boolean;
  /** Gauge: the peer has an identified inbound connection to us. */
  readonly inboundConnected: boolean;
  readonly messagesSent: number;
  readonly bytesSent: number;
  readonly messagesReceived: number;
  readonly bytesReceived: number;
  /** Dropped from a full send queue (oldest first), or queued when the transport closed. */
  readonly messagesDropped: number;
  /** Dropped because the encoded frame exceeded maxFrameBytes (the peer would reject it). */
  readonly messagesDroppedOversized: number;
  /** Gauge: messages waiting in the send queue. */
  readonly queuedMessages: number;
  readonly connectAttempts: number;
  /** Successful outbound opens after the first one. */
  readonly reconnects: number;
  /** Established connections (either direction) that closed; onPeerDisconnected calls. */
  readonly disconnects: number;
}

export interface TransportStats {
  readonly nodeId: NodeId;
  readonly port: number;
  readonly peers: readonly PeerStats[];
  /** Gauge: accepted connections, identified or still awaiting their hello. */
  readonly inboundConnections: number;
  /** Gauge: identified inbound connections from observers (nodes not in `peers`). */
  readonly observerConnections: number;
  /** Frames that failed decoding or validation, text frames and oversized frames. */
  readonly badFrames: number;
  /** Inbound connections closed by us for a protocol violation or over a limit. */
  readonly rejectedConnections: number;
  /**
   * send() to ourselves or to a node with neither an address nor an inbound connection (an
   * observer); inbound raft without a handler.
   */
  readonly unroutableMessages: number;
  /** Raft messages received from observers (configured peers count in PeerStats instead). */
  readonly observerMessagesReceived: number;
  /** Raft messages sent to observers over their inbound connections. */
  readonly observerMessagesSent: number;
  /** Dropped for an observer: its connection was congested or the frame was oversized. */
  readonly observerMessagesDropped: number;
  readonly requestsReceived: number;
  /** Requests answered with an error the transport chose (backpressure, invalid, no handler). */
  readonly requestsRejected: number;
  readonly responsesSent: number;
}

/** The mutable counters behind PeerStats, owned by the transport. */
export class PeerCounters {
  connected = false;
  inboundConnected = false;
  messagesSent = 0;
  bytesSent = 0;
  messagesReceived = 0;
  bytesReceived = 0;
  messagesDropped = 0;
  messagesDroppedOversized = 0;
  queuedMessages = 0;
  connectAttempts = 0;
  reconnects = 0;
  disconnects = 0;

  constructor(readonly nodeId: NodeId) {}

  snapshot(): PeerStats {
    return { ...this };
  }
}

export class TransportCounters {
  badFrames = 0;
  rejectedConnections = 0;
  unroutableMessages = 0;
  observerMessagesReceived = 0;
  observerMessagesSent = 0;
  observerMessagesDropped = 0;
  requestsReceived = 0;
  requestsRejected = 0;
  responsesSent = 0;
}
