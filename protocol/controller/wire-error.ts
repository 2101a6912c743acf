/**
 * The controller's errors at the wire. Controller handlers answer with Kafka's error names
 * (metadata/controller/errors.ts); the number, the retriable flag and the default message
 * come from the one table, protocol/error-codes.ts. A name missing there is a bug.
 */
import { assert } from '../../lib/assert.js';
import { ALL_ERROR_CODES, type ErrorCodeInfo } from '../error-codes.js';

/** What every controller reply and per-topic result carries about its outcome. */
export interface WireError {
  /** 'NONE' on success, else Kafka's error name. */
  readonly error: string;
  readonly errorCode: number;
  readonly retriable: boolean;
  readonly message: string;
}

export const NO_ERROR: WireError = { error: 'NONE', errorCode: 0, retriable: false, message: '' };

const PROTOCOL_BY_NAME = new Map<string, ErrorCodeInfo>(
  ALL_ERROR_CODES.map((info) => [info.name, info]),
);

export function wireError(name: string, message: string): WireError {
  const known = PROTOCOL_BY_NAME.get(name);
  if (known !== undefined) {
    return {
      error: name, errorCode: known.code, retriable: known.retriable,
      message: message === '' ? known.message : message,
    };
  }
  assert(false, `error ${name} is not in protocol/error-codes.ts`);
}

/** A controller handler's refusal ({error: name, message}) at the wire. */
export function fromApiError(
  error: { readonly error: string; readonly message: string },
): WireError {
  return wireError(error.error, error.message);
}
