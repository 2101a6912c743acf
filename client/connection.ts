/**
 * One WebSocket to one broker, shared by many concurrent requests matched by correlation id.
 *
 * - The socket opens on the first request (or connect()) and, after it is lost, on the next
 *   one: a connection reconnects on next use, never in the background.
 * - At most maxInFlightRequests are written and unanswered; later ones wait in a FIFO queue of
 *   at most maxQueuedRequests; past that a request is refused at once (retriable).
 * - Every request has a timeout covering its wait in the queue; a response arriving after it is
 *   dropped (correlation ids are not reused while a request is pending).
 * - When the socket fails or closes, every pending request is rejected with a retriable
 *   RaftkaConnectionError: the caller decides whether resending is safe.
 * - A request that gets no response by design (Produce with acks=0, as in Kafka) goes through
 *   sendOnly: it waits in the same FIFO queue, so it keeps its order with the others, and
 *   settles once written to the socket; it never counts as in flight.
 * - Responses are validated (protocol/ parseResponse) before they reach the caller; a frame
 *   without a readable correlation id closes the connection.
 */
import type { RawData, WebSocket } from 'ws';
import { assert } from '../lib/assert.js';
import { connect } from '../lib/connector.js';
import { decodeResponse, encodeRequest, parseResponse } from '../protocol/codec.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { MAX_CORRELATION_ID } from '../protocol/limits.js';
import { SERVED_APIS } from '../protocol/registry.js';
import type { RequestOf, ResponseOf, ServedApiName } from '../protocol/registry.js';
import { formatBrokerAddress } from './config.js';
import type { BrokerAddress } from './config.js';
import {
  RaftkaConnectionError, RaftkaError, RaftkaProtocolError, RaftkaRequestTimeoutError,
} from './errors.js';
import { closeSocket } from '../lib/ws-close.js';

export interface ConnectionOptions {
  readonly address: BrokerAddress;
  readonly clientId: string;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxInFlightRequests: number;
  readonly maxQueuedRequests: number;
  readonly maxFrameBytes: number;
  /** disconnect() waits this long for the close handshake. */
  readonly closeGraceMs?: number;
}

export interface ConnectionStats {
  readonly inFlight: number;
  readonly queued: number;
  readonly connects: number;
  readonly requestsSent: number;
  readonly timeouts: number;
  /** Responses whose request had already timed out. */
  readonly lateResponses: number;
}

interface Pending {
  readonly api: ServedApiName;
  /** True for sendOnly: settled when written, never awaits a response. */
  readonly noResponse?: boolean;
  readonly bytes: Uint8Array;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: RaftkaError) => void;
  readonly timer: NodeJS.Timeout;
}

/** WebSocket close codes the client sends (RFC 6455 §7.4). */
const CLOSE_NORMAL = 1000;
const CLOSE_UNSUPPORTED_DATA = 1003;
const CLOSE_MALFORMED_FRAME = 4000;

export class BrokerConnection {
  /** `host:port`, for messages. */
  readonly broker: string;
  private socket: WebSocket | undefined;
  private open = false;
  private connecting: Promise<void> | undefined;
  // Invariant: inFlight.size <= maxInFlightRequests.
  private readonly inFlight = new Map<number, Pending>();
  // Invariant: inFlight.size + queued.size <= maxInFlightRequests + maxQueuedRequests (while
  // the socket opens, every request waits here). A Map keeps insertion (FIFO) order and
  // deletes a timed-out entry in O(1).
  private readonly queued = new Map<number, Pending>();
  private nextCorrelationId = 0;
  private counts = { connects: 0, requestsSent: 0, timeouts: 0, lateResponses: 0 };

  constructor(private readonly options: ConnectionOptions) {
    this.broker = formatBrokerAddress(options.address);
  }

  get connected(): boolean {
    return this.open;
  }

  stats(): ConnectionStats {
    return { inFlight: this.inFlight.size, queued: this.queued.size, ...this.counts };
  }

  /** Opens the socket if needed; rejects with a RaftkaConnectionError when it cannot. */
  connect(): Promise<void> {
    if (this.open) return Promise.resolve();
    this.connecting ??= this.openSocket();
    return this.connecting;
  }

  request<N extends ServedApiName>(
    api: N,
    payload: RequestOf<N>,
    options: { timeoutMs?: number } = {},
  ): Promise<ResponseOf<N>> {
    return this.enqueue(api, payload, options.timeoutMs ?? this.options.requestTimeoutMs,
      false) as Promise<ResponseOf<N>>;
  }

  /**
   * Sends a request the broker does not answer (Produce with acks=0). Resolves once the frame
   * is handed to the socket; rejects like request() when it cannot be sent.
   */
  async sendOnly<N extends ServedApiName>(api: N, payload: RequestOf<N>): Promise<void> {
    await this.enqueue(api, payload, this.options.requestTimeoutMs, true);
  }

  /** Checks the bounds, encodes, and queues a request (sent at once when the socket is open). */
  private enqueue<N extends ServedApiName>(
    api: N, payload: RequestOf<N>, timeoutMs: number, noResponse: boolean,
  ): Promise<unknown> {
    const pendingMax = this.options.maxInFlightRequests + this.options.maxQueuedRequests;
    if (this.inFlight.size + this.queued.size >= pendingMax) {
      return Promise.reject(new RaftkaError(
        `Too many requests pending on ${this.broker} (${this.inFlight.size} in flight, ` +
        `${this.queued.size} queued)`, { retriable: true }));
    }
    const correlationId = this.allocateCorrelationId();
    const bytes = encodeRequest(api, { correlationId, clientId: this.options.clientId }, payload);
    if (bytes.byteLength > this.options.maxFrameBytes) {
      return Promise.reject(new RaftkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE,
        `The ${api} request is ${bytes.byteLength} bytes, over the frame limit of ` +
        `${this.options.maxFrameBytes} bytes`));
    }
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.timedOut(correlationId), timeoutMs);
      this.queued.set(correlationId, {
        api, bytes, timeoutMs, ...(noResponse ? { noResponse } : {}), resolve, reject, timer,
      });
      if (this.open) this.pump();
      else this.connect().catch(() => undefined); // a failed connect rejects the queue itself
    });
  }

  /** Rejects everything pending (not retriable) and closes the socket. */
  async disconnect(): Promise<void> {
    const socket = this.socket;
    this.detach(new RaftkaConnectionError('Connection closed by the client', this.broker,
      { retriable: false }));
    if (socket !== undefined) {
      await closeSocket(socket, CLOSE_NORMAL, 'client disconnect',
        this.options.closeGraceMs ?? 1_000);
    }
  }

  private allocateCorrelationId(): number {
    // Skips ids still pending after a wrap-around; terminates because pending is bounded.
    let id = this.nextCorrelationId;
    while (this.inFlight.has(id) || this.queued.has(id)) {
      id = id === MAX_CORRELATION_ID ? 0 : id + 1;
    }
    this.nextCorrelationId = id === MAX_CORRELATION_ID ? 0 : id + 1;
    return id;
  }

  private openSocket(): Promise<void> {
    this.counts.connects += 1;
    const socket = connect(this.options.address, {
      maxFrameBytes: this.options.maxFrameBytes,
      handshakeTimeoutMs: this.options.connectionTimeoutMs,
    });
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      let failure: string | undefined;
      const timer = setTimeout(() => {
        failure = 'Connection timeout';
        socket.terminate();
      }, this.options.connectionTimeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        if (this.socket !== socket) return;
        this.open = true;
        this.connecting = undefined;
        resolve();
        this.pump();
      });
      socket.on('message', (data, isBinary) => this.received(socket, data, isBinary));
      socket.on('error', (error) => {
        failure ??= `Connection error: ${error.message}`;
      });
      socket.once('close', (code) => {
        clearTimeout(timer);
        const wasOpen = this.open && this.socket === socket;
        const reason = failure ?? `Connection closed (code ${code})`;
        const error = new RaftkaConnectionError(
          wasOpen ? `Connection to ${this.broker} closed (code ${code})`
            : reason.includes(this.broker) ? reason : `${reason} (${this.broker})`,
          this.broker);
        if (this.socket === socket) this.detach(error);
        reject(error);
      });
    });
  }

  /** Forgets the socket and rejects every pending request with `error`. */
  private detach(error: RaftkaError): void {
    this.socket = undefined;
    this.open = false;
    this.connecting = undefined;
    const entries = [...this.inFlight.values(), ...this.queued.values()];
    this.inFlight.clear();
    this.queued.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  private pump(): void {
    const socket = this.socket;
    const limit = this.options.maxInFlightRequests;
    while (this.open && socket !== undefined && this.inFlight.size < limit) {
      const next = this.queued.entries().next();
      if (next.done === true) return;
      const [correlationId, entry] = next.value;
      this.queued.delete(correlationId);
      this.counts.requestsSent += 1;
      if (entry.noResponse === true) {
        clearTimeout(entry.timer);
        socket.send(entry.bytes, { binary: true });
        entry.resolve(undefined);
        continue;
      }
      this.inFlight.set(correlationId, entry);
      socket.send(entry.bytes, { binary: true });
    }
  }

  private timedOut(correlationId: number): void {
    const entry = this.inFlight.get(correlationId) ?? this.queued.get(correlationId);
    assert(entry !== undefined, 'a request timer fires only while the request is pending');
    this.inFlight.delete(correlationId);
    this.queued.delete(correlationId);
    this.counts.timeouts += 1;
    const definition = SERVED_APIS[entry.api];
    entry.reject(new RaftkaRequestTimeoutError(
      `Request ${entry.api}(key: ${definition.key}, version: ${definition.maxVersion}) to ` +
      `${this.broker} timed out after ${entry.timeoutMs} ms`, this.broker, correlationId));
    this.pump();
  }

  private received(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (this.socket !== socket) return;
    if (!isBinary) {
      this.abort(socket, CLOSE_UNSUPPORTED_DATA, 'text frames are not part of the protocol');
      return;
    }
    const bytes = Buffer.isBuffer(data) ? data
      : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const decoded = decodeResponse(bytes, { maxFrameBytes: this.options.maxFrameBytes });
    if (decoded.kind === 'malformed') {
      if (decoded.correlationId === undefined) {
        this.abort(socket, CLOSE_MALFORMED_FRAME, decoded.reason);
      } else {
        this.settle(decoded.correlationId, (entry) => entry.reject(
          new RaftkaError(`Malformed response from ${this.broker}: ${decoded.reason}`)));
      }
      return;
    }
    this.settle(decoded.correlationId, (entry) => {
      if (decoded.errorCode !== ErrorCode.NONE) {
        entry.reject(new RaftkaProtocolError(decoded.errorCode, decoded.errorMessage));
        return;
      }
      const parsed = parseResponse(entry.api, decoded.payload);
      if (parsed.ok) entry.resolve(parsed.value);
      else entry.reject(new RaftkaError(`Malformed response from ${this.broker}: ${parsed.message}`,
        { retriable: false }));
    });
  }

  private settle(correlationId: number, outcome: (entry: Pending) => void): void {
    const entry = this.inFlight.get(correlationId);
    if (entry === undefined) {
      this.counts.lateResponses += 1;
      return;
    }
    this.inFlight.delete(correlationId);
    clearTimeout(entry.timer);
    outcome(entry);
    this.pump();
  }

  /** The broker broke the protocol: fail everything pending and drop the connection. */
  private abort(socket: WebSocket, code: number, reason: string): void {
    this.detach(new RaftkaConnectionError(`Protocol violation by ${this.broker}: ${reason}`,
      this.broker));
    void closeSocket(socket, code, reason, this.options.closeGraceMs ?? 1_000);
  }
}
