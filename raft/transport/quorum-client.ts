/**
 * A small client for users of the quorum (the CLI, brokers): request(api, payload) over one
 * WebSocket to one of the bootstrap servers, many requests in flight, matched by correlation id.
 *
 * The connection is opened by the first request and after a loss by the next one, to the next
 * bootstrap server in turn. When it closes, every pending request is rejected with
 * NETWORK_EXCEPTION (retriable: the caller decides whether resending is safe; a proposal may
 * have been applied). Every rejection is a TransportError with a code and a retriable flag.
 */
import { corkForBurst } from './cork.js';
import type { WebSocket } from 'ws';
import { assert } from '../../lib/assert.js';
import { connect } from '../../lib/connector.js';
import { CloseCode, TransportError, TransportErrorCode, errorCodeInfo } from './errors.js';
import type { ErrorCodeInfo } from './errors.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { MAX_API_NAME_LENGTH, MAX_CORRELATION_ID, PROTOCOL_VERSION } from './frame-schema.js';
import type { ResponseFrame } from './frame-schema.js';
import { defaultTransportLimits } from './limits.js';
import { closeSocket } from '../../lib/ws-close.js';
import type { PeerAddress } from './types.js';

export interface QuorumClientOptions {
  readonly bootstrap: readonly PeerAddress[];
  readonly clientId: string;
  /** When set, a server of another cluster refuses the connection (INCONSISTENT_CLUSTER_ID). */
  readonly clusterId?: string;
  readonly maxFrameBytes?: number;
  /** Pending requests over this limit are refused at once with TOO_MANY_IN_FLIGHT_REQUESTS. */
  readonly maxInFlightRequests?: number;
  readonly connectTimeoutMs?: number;
  readonly defaultRequestTimeoutMs?: number;
  readonly closeGraceMs?: number;
}

export interface QuorumClientStats {
  readonly inFlight: number;
  readonly requestsSent: number;
  readonly timeouts: number;
  readonly connects: number;
  readonly badFrames: number;
  /** Responses whose request had already timed out. */
  readonly lateResponses: number;
}

export interface QuorumClient {
  /** Resolves with the response payload (unvalidated: check it against the api's schema). */
  request(api: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  stats(): QuorumClientStats;
  close(): Promise<void>;
}

interface Pending {
  readonly bytes: Uint8Array;
  readonly resolve: (payload: unknown) => void;
  readonly reject: (error: TransportError) => void;
  readonly timer: NodeJS.Timeout;
  written: boolean;
}

export function createQuorumClient(options: QuorumClientOptions): QuorumClient {
  assert(options.bootstrap.length > 0, 'bootstrap must name at least one server');
  return new Client(options);
}

class Client implements QuorumClient {
  private readonly maxFrameBytes: number;
  private readonly maxInFlightRequests: number;
  // Invariant: pending.size <= maxInFlightRequests.
  private readonly pending = new Map<number, Pending>();
  private socket: WebSocket | undefined;
  private open = false;
  private serverIndex = 0;
  private nextCorrelationId = 0;
  private closed = false;
  private counts = { requestsSent: 0, timeouts: 0, connects: 0, badFrames: 0, lateResponses: 0 };

  constructor(private readonly options: QuorumClientOptions) {
    this.maxFrameBytes = options.maxFrameBytes ?? defaultTransportLimits.maxFrameBytes;
    this.maxInFlightRequests = options.maxInFlightRequests ?? 1024;
  }

  request(api: string, payload: unknown, requestOptions?: { timeoutMs?: number }) {
    const timeoutMs = requestOptions?.timeoutMs ?? this.options.defaultRequestTimeoutMs ?? 30_000;
    if (this.closed) return rejected(TransportErrorCode.clientClosed);
    if (this.pending.size >= this.maxInFlightRequests) {
      return rejected(TransportErrorCode.tooManyInFlightRequests, 'client-side limit');
    }
    if (api.length === 0 || api.length > MAX_API_NAME_LENGTH) {
      return rejected(TransportErrorCode.invalidRequest, 'api name length');
    }
    const correlationId = this.allocateCorrelationId();
    const bytes = encodeFrame({ kind: 'request', correlationId, api, payload });
    if (bytes.byteLength > this.maxFrameBytes) {
      return rejected(TransportErrorCode.frameTooLarge, `${bytes.byteLength} bytes`);
    }
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(correlationId)) {
          this.counts.timeouts += 1;
          reject(new TransportError(TransportErrorCode.requestTimedOut, `after ${timeoutMs} ms`));
        }
      }, timeoutMs);
      const entry: Pending = { bytes, resolve, reject, timer, written: false };
      this.pending.set(correlationId, entry);
      if (this.open) this.write(entry);
      else this.connect();
    });
  }

  stats(): QuorumClientStats {
    return { inFlight: this.pending.size, ...this.counts };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(TransportErrorCode.clientClosed, 'client closed');
    const socket = this.socket;
    if (socket !== undefined) {
      await closeSocket(socket, CloseCode.goingAway, 'client closed',
        this.options.closeGraceMs ?? defaultTransportLimits.closeGraceMs);
    }
  }

  private allocateCorrelationId(): number {
    // Skips ids still pending after a wrap-around; terminates because pending is bounded.
    let id = this.nextCorrelationId;
    while (this.pending.has(id)) id = id === MAX_CORRELATION_ID ? 0 : id + 1;
    this.nextCorrelationId = id === MAX_CORRELATION_ID ? 0 : id + 1;
    return id;
  }

  private write(entry: Pending): void {
    assert(this.socket !== undefined && this.open, 'write needs an open connection');
    corkForBurst(this.socket);
    this.socket.send(entry.bytes, { binary: true });
    entry.written = true;
    this.counts.requestsSent += 1;
  }

  private connect(): void {
    if (this.socket !== undefined) return;
    const server = this.options.bootstrap[this.serverIndex % this.options.bootstrap.length];
    assert(server !== undefined, 'bootstrap is not empty');
    this.serverIndex += 1;
    this.counts.connects += 1;
    const socket = connect(server, {
      maxFrameBytes: this.maxFrameBytes,
      handshakeTimeoutMs: this.options.connectTimeoutMs ?? defaultTransportLimits.connectTimeoutMs,
    });
    this.socket = socket;
    socket.on('open', () => this.opened(socket));
    socket.on('message', (data, isBinary) => this.received(socket, data, isBinary));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', (code) => this.closedSocket(socket, code));
  }

  private opened(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.open = true;
    const identity = this.options.clusterId === undefined
      ? { kind: 'client' as const, clientId: this.options.clientId }
      : { kind: 'client' as const, clientId: this.options.clientId,
        clusterId: this.options.clusterId };
    socket.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, identity }));
    for (const entry of this.pending.values()) if (!entry.written) this.write(entry);
  }

  private received(socket: WebSocket, data: unknown, isBinary: boolean): void {
    if (this.socket !== socket) return;
    const decoded = isBinary && Buffer.isBuffer(data) ? decodeFrame(data) : undefined;
    if (decoded === undefined || !decoded.ok || decoded.frame.kind !== 'response') {
      this.counts.badFrames += 1;
      void closeSocket(socket, CloseCode.malformedFrame, 'expected a response frame',
        this.options.closeGraceMs ?? defaultTransportLimits.closeGraceMs);
      return;
    }
    this.settle(decoded.frame);
  }

  private settle(frame: ResponseFrame): void {
    const entry = this.pending.get(frame.correlationId);
    if (entry === undefined) {
      this.counts.lateResponses += 1;
      return;
    }
    this.pending.delete(frame.correlationId);
    clearTimeout(entry.timer);
    if (frame.error === TransportErrorCode.none.code) entry.resolve(frame.payload);
    else entry.reject(new TransportError(errorCodeInfo(frame.error), frame.message));
  }

  private closedSocket(socket: WebSocket, code: number): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.open = false;
    if (code === CloseCode.clusterIdMismatch) {
      this.failAll(TransportErrorCode.inconsistentClusterId, 'server refused the cluster id');
    } else {
      this.failAll(TransportErrorCode.networkException, `connection closed (${code})`);
    }
  }

  private failAll(error: ErrorCodeInfo, message: string): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(new TransportError(error, message));
    }
  }
}

function rejected(error: ErrorCodeInfo, message?: string): Promise<never> {
  return Promise.reject(new TransportError(error, message));
}
