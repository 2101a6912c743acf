/**
 * Error codes of the transport's request channel and close codes of its connections.
 *
 * Request errors travel in `response` frames as a string code; callers branch on the code and its
 * `retriable` flag, never on the message text (undici's errors, Kafka's error table). Each code
 * names the code of Kafka's table (protocol/error-codes.ts) it stands for, `kafkaError`, so that
 * a caller outside raft/ can report and branch on one numeric vocabulary. The codes and those
 * names are spelled here because raft/ may import nothing but lib/ and raft/;
 * tests/unit/protocol/error-vocabulary.test.ts proves every name exists there with the same
 * retriable flag.
 */

export interface ErrorCodeInfo {
  readonly code: string;
  /** True when the same request may succeed if sent again (possibly to another server). */
  readonly retriable: boolean;
  /** The name in Kafka's table (protocol/error-codes.ts) this code maps onto. */
  readonly kafkaError: string;
}

export const TransportErrorCode = {
  none: { code: 'NONE', retriable: false, kafkaError: 'NONE' },
  /** The frame was malformed or failed validation; resending it unchanged cannot help. */
  invalidRequest: { code: 'INVALID_REQUEST', retriable: false, kafkaError: 'INVALID_REQUEST' },
  /** No handler knows this api (Kafka's clients: UnsupportedVersionException). */
  unsupportedApi: { code: 'UNSUPPORTED_API', retriable: false, kafkaError: 'UNSUPPORTED_VERSION' },
  /** The server has not registered a request handler yet: it is still loading. */
  notReady: { code: 'SERVICE_NOT_READY', retriable: true,
    kafkaError: 'COORDINATOR_LOAD_IN_PROGRESS' },
  /** Backpressure: the connection already has maxInFlightRequestsPerConnection requests. */
  tooManyInFlightRequests: { code: 'TOO_MANY_IN_FLIGHT_REQUESTS', retriable: true,
    kafkaError: 'THROTTLING_QUOTA_EXCEEDED' },
  /** The encoded request or response exceeds maxFrameBytes. */
  frameTooLarge: { code: 'FRAME_TOO_LARGE', retriable: false, kafkaError: 'MESSAGE_TOO_LARGE' },
  /** No response within the caller's timeout; the request may or may not have been applied. */
  requestTimedOut: { code: 'REQUEST_TIMED_OUT', retriable: true,
    kafkaError: 'REQUEST_TIMED_OUT' },
  /** The connection failed or closed before the response arrived. */
  networkException: { code: 'NETWORK_EXCEPTION', retriable: true,
    kafkaError: 'NETWORK_EXCEPTION' },
  /** The server belongs to another cluster. */
  inconsistentClusterId: { code: 'INCONSISTENT_CLUSTER_ID', retriable: false,
    kafkaError: 'INCONSISTENT_CLUSTER_ID' },
  /**
   * The caller closed the client; pending requests are abandoned. Never on the wire, and
   * Kafka has no code for it either: it counts as an unexpected, final error.
   */
  clientClosed: { code: 'CLIENT_CLOSED', retriable: false, kafkaError: 'UNKNOWN_SERVER_ERROR' },
  /** The server's handler failed in a way it reports but cannot classify. */
  unknownServerError: { code: 'UNKNOWN_SERVER_ERROR', retriable: false,
    kafkaError: 'UNKNOWN_SERVER_ERROR' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type TransportErrorName = keyof typeof TransportErrorCode;
export type TransportErrorCodeValue = (typeof TransportErrorCode)[TransportErrorName]['code'];

const byCode = new Map<string, ErrorCodeInfo>(
  Object.values(TransportErrorCode).map((info) => [info.code, info]),
);

/** Looks a wire code up; an unknown code (from a newer server) is kept but never retriable. */
export function errorCodeInfo(code: string): ErrorCodeInfo {
  return byCode.get(code) ?? { code, retriable: false, kafkaError: 'UNKNOWN_SERVER_ERROR' };
}

/** The rejection value of QuorumClient.request: an expected condition, not a bug. */
export class TransportError extends Error {
  override name = 'TransportError';
  readonly code: string;
  readonly retriable: boolean;
  readonly kafkaError: string;

  constructor(info: ErrorCodeInfo, message?: string) {
    super(message === undefined ? info.code : `${info.code}: ${message}`);
    this.code = info.code;
    this.retriable = info.retriable;
    this.kafkaError = info.kafkaError;
  }
}

/**
 * WebSocket close codes the transport uses (RFC 6455 §7.4; 4000-4999 are for applications).
 * A connection is closed only where no correlation id lets us answer with an error response.
 */
export const CloseCode = {
  /** The transport is shutting down. */
  goingAway: 1001,
  /** A text frame: the protocol is binary msgpack only. */
  unsupportedData: 1003,
  /** Frame over maxFrameBytes (ws closes with this itself when maxPayload is exceeded). */
  messageTooBig: 1009,
  /** Inbound connection limit or observer limit (maxObserverConnections) reached. */
  tryAgainLater: 1013,
  /** Not msgpack, or not a valid frame. */
  malformedFrame: 4000,
  /** The first frame was not a hello, a second hello arrived, or the hello came too late. */
  handshakeFailed: 4001,
  /** The hello named another cluster id. */
  clusterIdMismatch: 4002,
  /** A raft message whose `from` differs from the hello's nodeId. */
  spoofedSender: 4003,
  /**
   * A raft message addressed to another node, a hello naming ourselves, or one from a node
   * that is not a configured peer while observers are not accepted.
   */
  misrouted: 4004,
  /** A frame kind that is not allowed on this connection (e.g. raft from a client). */
  unexpectedFrame: 4005,
  /** A newer connection from the same peer replaced this one. */
  superseded: 4006,
  /** The other side does not read its responses (ws.bufferedAmount over the limit). */
  slowConsumer: 4007,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
