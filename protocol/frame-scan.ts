/**
 * The pre-scan of a request frame: one linear pass over the msgpack bytes that counts elements
 * and nesting depth, measures strings and skips binary payloads by their length, without
 * allocating per element. It runs before msgpackr, which would allocate a value for every
 * element (tens of millions fit in a frame), so that a frame over its API's limits
 * (request-limits.ts) costs the broker only the scan, and the scan stops at the first limit.
 *
 * On the way it peeks at the envelope's `api` and `correlationId` (the first entries of the
 * map the client encoder writes, see envelope.ts), so the API's limits apply as soon as the key
 * is read and a refused frame can be answered by correlation id. The scan does not validate:
 * a truncated or otherwise malformed frame passes (after at most the limits' worth of work) and
 * msgpackr reports it. msgpack extension types are refused, except msgpackr's `undefined`
 * (type 0): the protocol never sends them, and msgpackr's own ones (records, bundled strings,
 * structured clones) read the frame in ways this scan does not model.
 */
import { MAX_CORRELATION_ID, MAX_REQUEST_NESTING_DEPTH, MAX_STRING_BYTES } from './limits.js';
import {
  emptyToken, extensionType, integerAt, readToken, stringEquals, TokenKind, type Token,
} from './msgpack-tokens.js';
import { requestLimits, UNKNOWN_API_LIMITS, type RequestLimits } from './request-limits.js';

export type FrameScan =
  | { readonly ok: true; readonly elements: number }
  | { readonly ok: false; readonly reason: string; readonly correlationId: number | undefined };

const API_KEY = new TextEncoder().encode('api');
const CORRELATION_ID_KEY = new TextEncoder().encode('correlationId');
const HeaderField = { none: 0, api: 1, correlationId: 2 } as const;
type HeaderField = (typeof HeaderField)[keyof typeof HeaderField];

/**
 * Reads `api` and `correlationId` from the direct entries of the top-level map as the scan
 * passes them, and holds the limits that apply so far. Duplicate keys: the last one counts, as
 * in msgpackr.
 */
class EnvelopePeek {
  limits: RequestLimits = UNKNOWN_API_LIMITS;
  correlationId: number | undefined;
  #topIsMap = false;
  #index = 0;
  #field: HeaderField = HeaderField.none;

  /** Sees the token at depth 0 or 1; returns why the frame is refused, if it is. */
  see(bytes: Uint8Array, position: number, token: Token, depth: number, maxFrameBytes: number) {
    if (depth === 0) {
      this.#topIsMap = token.kind === TokenKind.map;
      return undefined;
    }
    if (!this.#topIsMap) return undefined;
    const isKey = this.#index % 2 === 0;
    this.#index += 1;
    if (isKey) {
      this.#field = headerField(bytes, position, token);
      return undefined;
    }
    const field = this.#field;
    this.#field = HeaderField.none;
    if (field === HeaderField.none) return undefined;
    const value = integerAt(bytes, position, token);
    if (field === HeaderField.correlationId) {
      this.correlationId = value !== undefined && value >= 0 && value <= MAX_CORRELATION_ID
        ? value : undefined;
      return undefined;
    }
    this.limits = value === undefined ? UNKNOWN_API_LIMITS : requestLimits(value);
    return bytesProblem(bytes, this.limits, maxFrameBytes);
  }
}

/** Scans one request frame against the limits of its API (the frame limit already checked). */
export function scanRequestFrame(bytes: Uint8Array, maxFrameBytes: number): FrameScan {
  const token = emptyToken();
  const peek = new EnvelopePeek();
  // Invariant: remaining[i] (i < depth) counts the elements still to come in the i-th open
  // container; 0 < remaining[i] once the container's own element is accounted.
  const remaining = new Float64Array(MAX_REQUEST_NESTING_DEPTH);
  let depth = 0;
  let position = 0;
  let elements = 0;
  let maxElements = peek.limits.maxElements;
  for (;;) {
    if (!readToken(bytes, position, token)) return { ok: true, elements };
    elements += 1;
    if (elements > maxElements) return overElements(peek.limits, peek.correlationId);
    // Only an extension or a long string can be refused here (binary is any length).
    if (token.kind === TokenKind.extension || token.totalBytes > MAX_STRING_BYTES) {
      const problem = tokenProblem(bytes, position, token);
      if (problem !== undefined) return refused(problem, peek.correlationId);
    }
    if (depth <= 1) {
      const problem = peek.see(bytes, position, token, depth, maxFrameBytes);
      if (problem !== undefined) return refused(problem, peek.correlationId);
      maxElements = peek.limits.maxElements;
    }
    if (depth > 0) remaining[depth - 1]! -= 1;
    position += token.totalBytes;
    if (token.children > 0) {
      if (depth === MAX_REQUEST_NESTING_DEPTH) {
        return refused(`msgpack nesting deeper than ${MAX_REQUEST_NESTING_DEPTH} ` +
          '(MAX_REQUEST_NESTING_DEPTH)', peek.correlationId);
      }
      remaining[depth] = token.children;
      depth += 1;
      continue;
    }
    while (depth > 0 && remaining[depth - 1] === 0) depth -= 1;
    if (depth === 0) break;
  }
  // The api key may come after the payload: its limits apply to the whole frame.
  if (elements > peek.limits.maxElements) return overElements(peek.limits, peek.correlationId);
  return { ok: true, elements };
}

function refused(reason: string, correlationId: number | undefined): FrameScan {
  return { ok: false, reason: `Invalid request: ${reason}`, correlationId };
}

function overElements(limits: RequestLimits, correlationId: number | undefined): FrameScan {
  return refused(`more than ${limits.maxElements} msgpack elements, the limit of ` +
    `${limits.elementsLimitName}`, correlationId);
}

function bytesProblem(bytes: Uint8Array, limits: RequestLimits, maxFrameBytes: number) {
  const maxBytes = Math.min(limits.maxBytes, maxFrameBytes);
  if (bytes.byteLength <= maxBytes) return undefined;
  return `a frame of ${bytes.byteLength} bytes exceeds ${maxBytes}, the limit of ` +
    limits.bytesLimitName;
}

/** What makes this token unacceptable whatever the API, if anything. */
function tokenProblem(bytes: Uint8Array, position: number, token: Token): string | undefined {
  const bodyBytes = token.totalBytes - token.headerBytes;
  if (token.kind === TokenKind.string && bodyBytes > MAX_STRING_BYTES) {
    return `a string of ${bodyBytes} bytes exceeds ${MAX_STRING_BYTES} (MAX_STRING_BYTES)`;
  }
  if (token.kind === TokenKind.extension) {
    const type = extensionType(bytes, position, token);
    if (type !== 0) return `msgpack extension type ${type} is not part of the protocol`;
  }
  return undefined;
}

function headerField(bytes: Uint8Array, position: number, token: Token): HeaderField {
  if (stringEquals(bytes, position, token, API_KEY)) return HeaderField.api;
  if (stringEquals(bytes, position, token, CORRELATION_ID_KEY)) return HeaderField.correlationId;
  return HeaderField.none;
}
