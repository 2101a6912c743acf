/**
 * Encoding and decoding of whole frames, for both ends.
 *
 * Server side: decodeRequest never throws. It answers with one of
 *   - `request`: a validated, typed request (switch on `api`);
 *   - `error`:   answer with encodeErrorResponse(correlationId, errorCode, errorMessage): the
 *                frame was readable enough to name its correlation id but is not valid
 *                (INVALID_REQUEST naming the field, or UNSUPPORTED_VERSION);
 *   - `close`:   close the connection: no correlation id could be read (not msgpack, not a
 *                map, over the frame limit, over a limit before the id), so there is no one
 *                to answer.
 * Handlers answer with a typed ServedAnswer (served-response.ts), which the listener turns into
 * a frame with encodeAnswer.
 * Client side: encodeRequest, then decodeResponse for the envelope and parseResponse for the
 * payload of the api the correlation id belongs to.
 *
 * msgpack is plain maps with string keys (msgpackr `useRecords: false`), stateless per frame,
 * like raft/transport's frames; see raft/transport/frame-codec.ts for the reasoning.
 */
import { Packr, Unpackr } from 'msgpackr';
import { apiKeyName } from './api-keys.js';
import {
  describeIssue, requestEnvelopeSchema, responseEnvelopeSchema, salvageCorrelationId,
} from './envelope.js';
import type { RequestHeader } from './envelope.js';
import { ErrorCode } from './error-codes.js';
import { scanRequestFrame } from './frame-scan.js';
import { DEFAULT_MAX_FRAME_BYTES } from './limits.js';
import { SERVED_APIS, servedApiByKey } from './registry.js';
import type { RequestOf, ResponseOf, ServedApiName } from './registry.js';
import type { ServedAnswer } from './served-response.js';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

export interface CodecOptions {
  /** Larger frames are refused (socket.request.max.bytes); default 100 MiB. */
  readonly maxFrameBytes?: number;
}

export type ServedRequest = {
  readonly [N in ServedApiName]: {
    readonly api: N;
    readonly header: RequestHeader;
    readonly payload: RequestOf<N>;
  };
}[ServedApiName];

export type DecodedRequest =
  | { readonly kind: 'request'; readonly request: ServedRequest }
  | {
      readonly kind: 'error';
      readonly correlationId: number;
      readonly errorCode: number;
      readonly errorMessage: string;
    }
  | { readonly kind: 'close'; readonly reason: string };

export type DecodedResponse =
  | {
      readonly kind: 'response';
      readonly correlationId: number;
      /** ErrorCode.NONE when the frame carried none. */
      readonly errorCode: number;
      readonly errorMessage: string | null;
      readonly payload: unknown;
    }
  | { readonly kind: 'malformed'; readonly reason: string; readonly correlationId?: number };

export type ParsedPayload<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

export interface RequestHeaderInput {
  readonly correlationId: number;
  readonly clientId: string | null;
  /** Defaults to the newest version this build speaks. */
  readonly version?: number;
}

export function encodeRequest<N extends ServedApiName>(
  api: N,
  header: RequestHeaderInput,
  payload: RequestOf<N>,
): Uint8Array {
  const definition = SERVED_APIS[api];
  return packr.pack({
    correlationId: header.correlationId,
    api: definition.key,
    version: header.version ?? definition.maxVersion,
    clientId: header.clientId,
    payload,
  });
}

export function encodeResponse<N extends ServedApiName>(
  _api: N,
  correlationId: number,
  payload: ResponseOf<N>,
): Uint8Array {
  return packr.pack({ correlationId, payload });
}

/**
 * The frame of a handler's answer, or undefined when nothing is sent (acks=0). Record bytes
 * in the response are copied once, into the frame, as encodeResponse does.
 */
export function encodeAnswer(answer: ServedAnswer): Uint8Array | undefined {
  switch (answer.kind) {
    case 'response':
      return packr.pack({ correlationId: answer.correlationId, payload: answer.response });
    case 'error':
      return encodeErrorResponse(answer.correlationId, answer.errorCode, answer.errorMessage);
    case 'none':
      return undefined;
  }
}

export function encodeErrorResponse(
  correlationId: number,
  errorCode: number,
  errorMessage: string | null,
): Uint8Array {
  return packr.pack({ correlationId, errorCode, errorMessage });
}

function frameTooLarge(bytes: Uint8Array, maxFrameBytes: number): string | undefined {
  return bytes.byteLength > maxFrameBytes
    ? `frame of ${bytes.byteLength} bytes exceeds ${maxFrameBytes}` : undefined;
}

function unpack(bytes: Uint8Array, maxFrameBytes: number):
  { ok: true; value: unknown } | { ok: false; reason: string } {
  const tooLarge = frameTooLarge(bytes, maxFrameBytes);
  if (tooLarge !== undefined) return { ok: false, reason: tooLarge };
  try {
    return { ok: true, value: unpackr.unpack(bytes) };
  } catch {
    // msgpackr throws on truncation, trailing bytes, bad tokens and too-deep nesting alike.
    return { ok: false, reason: 'malformed msgpack' };
  }
}

/**
 * Decodes and validates one inbound request frame. Never throws on bad input. A frame over its
 * API's limits (request-limits.ts) is refused by the pre-scan before msgpackr allocates
 * anything: INVALID_REQUEST naming the limit when the scan read a correlation id, else close.
 */
export function decodeRequest(bytes: Uint8Array, options: CodecOptions = {}): DecodedRequest {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const tooLarge = frameTooLarge(bytes, maxFrameBytes);
  if (tooLarge !== undefined) return { kind: 'close', reason: tooLarge };
  const scan = scanRequestFrame(bytes, maxFrameBytes);
  if (!scan.ok) {
    return scan.correlationId === undefined ? { kind: 'close', reason: scan.reason }
      : invalid(scan.correlationId, scan.reason);
  }
  const unpacked = unpack(bytes, maxFrameBytes);
  if (!unpacked.ok) return { kind: 'close', reason: unpacked.reason };
  const envelope = requestEnvelopeSchema.safeParse(unpacked.value);
  if (!envelope.success) {
    const correlationId = salvageCorrelationId(unpacked.value);
    const reason = `Invalid request: ${describeIssue(envelope.error.issues[0])}`;
    if (correlationId === undefined) return { kind: 'close', reason };
    return invalid(correlationId, reason);
  }
  const { correlationId, api, version, clientId, payload } = envelope.data;
  const definition = servedApiByKey(api);
  if (definition === undefined) {
    const name = apiKeyName(api);
    const what = name === undefined ? `unknown api key ${api}`
      : `${name} (key ${api}) is not served yet`;
    return invalid(correlationId, `Invalid request: api: ${what}`);
  }
  if (version < definition.minVersion || version > definition.maxVersion) {
    return {
      kind: 'error',
      correlationId,
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      errorMessage: `${definition.name} version ${version} is not supported ` +
        `(supported: ${definition.minVersion}-${definition.maxVersion})`,
    };
  }
  const parsed = definition.request.safeParse(payload);
  if (!parsed.success) {
    return invalid(correlationId,
      `Invalid ${definition.name} request: ${describeIssue(parsed.error.issues[0], 'payload')}`);
  }
  const header: RequestHeader = { correlationId, api, version, clientId };
  // The union cannot be narrowed through the registry lookup; the name and payload came from
  // the same definition, so the pair is consistent.
  const request = { api: definition.name, header, payload: parsed.data } as ServedRequest;
  return { kind: 'request', request };
}

function invalid(correlationId: number, errorMessage: string): DecodedRequest {
  return { kind: 'error', correlationId, errorCode: ErrorCode.INVALID_REQUEST, errorMessage };
}

/** Decodes a response envelope; the payload is checked later by parseResponse. Never throws. */
export function decodeResponse(bytes: Uint8Array, options: CodecOptions = {}): DecodedResponse {
  const unpacked = unpack(bytes, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  if (!unpacked.ok) return { kind: 'malformed', reason: unpacked.reason };
  const envelope = responseEnvelopeSchema.safeParse(unpacked.value);
  if (!envelope.success) {
    const reason = `Invalid response: ${describeIssue(envelope.error.issues[0])}`;
    const correlationId = salvageCorrelationId(unpacked.value);
    return correlationId === undefined
      ? { kind: 'malformed', reason }
      : { kind: 'malformed', reason, correlationId };
  }
  const { correlationId, errorCode, errorMessage, payload } = envelope.data;
  return {
    kind: 'response',
    correlationId,
    errorCode: errorCode ?? ErrorCode.NONE,
    errorMessage: errorMessage ?? null,
    payload,
  };
}

/** Validates a successful response's payload against its api's schema. Never throws. */
export function parseResponse<N extends ServedApiName>(
  api: N,
  payload: unknown,
): ParsedPayload<ResponseOf<N>> {
  const parsed = SERVED_APIS[api].response.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data as ResponseOf<N> };
  return {
    ok: false,
    message: `Invalid ${api} response: ${describeIssue(parsed.error.issues[0], 'payload')}`,
  };
}

/** Validates a request payload without an envelope (tests, and brokers that forward). */
export function parseRequest<N extends ServedApiName>(
  api: N,
  payload: unknown,
): ParsedPayload<RequestOf<N>> {
  const parsed = SERVED_APIS[api].request.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data as RequestOf<N> };
  return {
    ok: false,
    message: `Invalid ${api} request: ${describeIssue(parsed.error.issues[0], 'payload')}`,
  };
}
