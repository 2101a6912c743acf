/**
 * The server side of the request channel: hands identified requests to the registered handler
 * and writes the responses back on the same connection.
 *
 * Backpressure: a request occupies one of its connection's maxInFlightRequestsPerConnection
 * slots from arrival until the handler replies; beyond that the server answers
 * TOO_MANY_IN_FLIGHT_REQUESTS (retriable) without calling the handler. A client that sends but
 * does not read its responses is closed as a slow consumer once they exceed
 * maxBufferedBytesPerConnection in the socket, so neither side's memory grows without bound.
 */
import { corkForBurst } from './cork.js';
import { assert } from '../../lib/assert.js';
import { CloseCode, TransportErrorCode } from './errors.js';
import type { ErrorCodeInfo } from './errors.js';
import { encodeFrame } from './frame-codec.js';
import type { RequestFrame, ResponseFrame } from './frame-schema.js';
import { MAX_ERROR_MESSAGE_LENGTH } from './frame-schema.js';
import type { InboundConnection } from './inbound-connection.js';
import type { TransportLimits } from './limits.js';
import type { TransportCounters } from './transport-stats.js';
import type { RequestHandler, RequestResult } from './types.js';

export class RequestDispatcher {
  private handler: RequestHandler | undefined;

  constructor(
    private readonly limits: TransportLimits,
    private readonly counters: TransportCounters,
  ) {}

  setHandler(handler: RequestHandler): void {
    assert(this.handler === undefined, 'onRequest handler registered twice');
    this.handler = handler;
  }

  dispatch(connection: InboundConnection, frame: RequestFrame): void {
    const { correlationId, api, payload } = frame;
    const info = connection.info;
    assert(info !== undefined, 'requests are dispatched only on identified connections');
    this.counters.requestsReceived += 1;
    if (connection.inFlight.has(correlationId)) {
      this.rejectRequest(connection, correlationId, TransportErrorCode.invalidRequest,
        `correlation id ${correlationId} is already in flight`);
      return;
    }
    if (connection.inFlight.size >= this.limits.maxInFlightRequestsPerConnection) {
      this.rejectRequest(connection, correlationId, TransportErrorCode.tooManyInFlightRequests,
        `at most ${this.limits.maxInFlightRequestsPerConnection} requests in flight`);
      return;
    }
    const handler = this.handler;
    if (handler === undefined) {
      this.rejectRequest(connection, correlationId, TransportErrorCode.notReady, 'no handler');
      return;
    }
    connection.inFlight.add(correlationId);
    let replied = false;
    const reply = (result: RequestResult): void => {
      assert(!replied, `reply called twice (api ${api}, correlation id ${correlationId})`);
      replied = true;
      connection.inFlight.delete(correlationId);
      if (connection.isClosing) return;
      this.respond(connection, toResponse(correlationId, result));
    };
    handler(api, payload, reply, info);
  }

  rejectRequest(
    connection: InboundConnection,
    correlationId: number,
    error: ErrorCodeInfo,
    message: string,
  ): void {
    this.counters.requestsRejected += 1;
    this.respond(connection, errorResponse(correlationId, error, message));
  }

  private respond(connection: InboundConnection, response: ResponseFrame): void {
    const { socket } = connection;
    const { correlationId } = response;
    if (socket.bufferedAmount > this.limits.maxBufferedBytesPerConnection) {
      connection.reject(CloseCode.slowConsumer, 'responses are not being read');
      return;
    }
    let bytes = encodeFrame(response);
    if (bytes.byteLength > this.limits.maxFrameBytes) {
      const message = `response of ${bytes.byteLength} bytes over maxFrameBytes`;
      bytes = encodeFrame(errorResponse(correlationId, TransportErrorCode.frameTooLarge, message));
    }
    corkForBurst(socket);
    socket.send(bytes, { binary: true });
    this.counters.responsesSent += 1;
  }
}

function toResponse(correlationId: number, result: RequestResult): ResponseFrame {
  if (result.ok) {
    return { kind: 'response', correlationId, error: TransportErrorCode.none.code,
      payload: result.payload };
  }
  return errorResponse(correlationId, result.error, result.message);
}

function errorResponse(
  correlationId: number,
  error: Pick<ErrorCodeInfo, 'code'>,
  message: string | undefined,
): ResponseFrame {
  const response: ResponseFrame = { kind: 'response', correlationId, error: error.code,
    payload: undefined };
  if (message !== undefined) response.message = message.slice(0, MAX_ERROR_MESSAGE_LENGTH);
  return response;
}
