/**
 * Named maxima of the transport (TigerStyle: every queue, buffer and map is bounded), their
 * defaults and the relations between them, checked once at start-up.
 */
import { assert } from '../../lib/assert.js';

export interface TransportLimits {
  /**
   * Largest frame accepted or sent (the WebSocket maxPayload). The default fits an 8 MiB
   * fetch or snapshot chunk plus the msgpack envelope.
   */
  readonly maxFrameBytes: number;
  /** Raft messages queued per peer while disconnected or congested; the oldest drop first. */
  readonly maxQueuedMessagesPerPeer: number;
  /** The same queue bounded by (estimated) bytes. */
  readonly maxQueuedBytesPerPeer: number;
  /** Above this ws.bufferedAmount a peer's messages wait in its queue instead of the socket. */
  readonly maxBufferedBytesPerConnection: number;
  /** Requests a connection may have handed to the handler and not yet answered. */
  readonly maxInFlightRequestsPerConnection: number;
  /** Inbound connections of all kinds; more are closed with 1013 (try again later). */
  readonly maxInboundConnections: number;
  /**
   * Identified inbound connections from observers (node ids not in `peers`, accepted only with
   * acceptObservers); more are closed with 1013. Part of maxInboundConnections, not extra.
   */
  readonly maxObserverConnections: number;
  /** An inbound connection must send its hello within this time. */
  readonly helloTimeoutMs: number;
  /** Outbound connect (TCP + WebSocket handshake) timeout. */
  readonly connectTimeoutMs: number;
  /** Reconnect backoff: first delay, doubled per failed attempt up to the maximum. */
  readonly reconnectBackoffInitialMs: number;
  readonly reconnectBackoffMaxMs: number;
  /** close() waits this long for close handshakes before destroying sockets. */
  readonly closeGraceMs: number;
}

/** Fixed allowance for the frame envelope and the fields around entry data or snapshot bytes. */
export const FRAME_OVERHEAD_BYTES = 64 * 1024;

export const defaultTransportLimits: TransportLimits = {
  maxFrameBytes: 8 * 1024 * 1024 + FRAME_OVERHEAD_BYTES,
  maxQueuedMessagesPerPeer: 1024,
  maxQueuedBytesPerPeer: 64 * 1024 * 1024,
  maxBufferedBytesPerConnection: 4 * 1024 * 1024,
  maxInFlightRequestsPerConnection: 128,
  maxInboundConnections: 1024,
  maxObserverConnections: 1024,
  helloTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  reconnectBackoffInitialMs: 50,
  reconnectBackoffMaxMs: 1_000,
  closeGraceMs: 1_000,
};

/** Fills in defaults and asserts the relations between limits (bad limits are a bug). */
export function resolveLimits(overrides: Partial<TransportLimits> | undefined): TransportLimits {
  const limits: TransportLimits = { ...defaultTransportLimits, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    assert(Number.isSafeInteger(value) && value > 0, `limit ${name} must be a positive integer`);
  }
  assert(limits.maxFrameBytes >= 1024, 'maxFrameBytes must be at least 1 KiB');
  assert(
    limits.maxQueuedBytesPerPeer >= limits.maxFrameBytes,
    'maxQueuedBytesPerPeer must hold at least one maximal frame',
  );
  assert(
    limits.reconnectBackoffInitialMs <= limits.reconnectBackoffMaxMs,
    'reconnectBackoffInitialMs must not exceed reconnectBackoffMaxMs',
  );
  return limits;
}
