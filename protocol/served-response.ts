/**
 * What a request handler answers, before any wire: a typed response of the request's api, a
 * failure of the whole request, or no response at all (Produce with acks=0, as in Kafka).
 *
 * Handlers (broker/api/request-router.ts, broker/replica) return these and never see bytes;
 * each listener encodes them for its own wire: the WebSocket listener with codec.ts's
 * encodeAnswer, a Kafka-binary listener with its codecs. So one handler serves every listener,
 * as Kafka's KafkaApis serves every SocketServer listener through RequestChannel.
 *
 * A response may hold views of stored record batches (Fetch `records`): the encoder copies
 * them once into the frame, and nothing copies them before.
 */
import type { RequestHeader } from './envelope.js';
import type { ResponseOf, ServedApiName } from './registry.js';

/** The part of a decoded request (codec.ts's ServedRequest) an answer names. */
interface AnsweredRequest<N extends ServedApiName> {
  readonly api: N;
  readonly header: RequestHeader;
}

export type ServedResponse = {
  readonly [N in ServedApiName]: {
    readonly kind: 'response';
    readonly api: N;
    readonly correlationId: number;
    readonly response: ResponseOf<N>;
  };
}[ServedApiName];

/** The whole request failed (the envelope's errorCode: UNSUPPORTED_VERSION, ...). */
export interface ServedError {
  readonly kind: 'error';
  readonly api: ServedApiName;
  readonly correlationId: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** Nothing goes back to the client (Produce with acks=0). */
export interface NoResponse {
  readonly kind: 'none';
}

export type ServedAnswer = ServedResponse | ServedError | NoResponse;

export const NO_RESPONSE: NoResponse = Object.freeze({ kind: 'none' });

/** The answer `response` to `request`, typed by the request's api. */
export function respond<N extends ServedApiName>(
  request: AnsweredRequest<N>, response: ResponseOf<N>,
): ServedResponse {
  // The api and the response type come from the same request, so the pair is consistent; the
  // union cannot be narrowed through the generic.
  return {
    kind: 'response', api: request.api, correlationId: request.header.correlationId, response,
  } as ServedResponse;
}

/** A failure of the whole `request`. */
export function respondWithError(
  request: AnsweredRequest<ServedApiName>, errorCode: number, errorMessage: string | null,
): ServedError {
  return {
    kind: 'error', api: request.api, correlationId: request.header.correlationId, errorCode,
    errorMessage,
  };
}
