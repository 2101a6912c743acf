/**
 * The controller's errors at the wire. Controller handlers answer with Kafka's error names
 * (metadata/controller/errors.ts); clients branch on the numeric code and the retriable flag
 * defined once in protocol/error-codes.ts. A few controller errors are not yet listed there;
 * for those the number comes from the controller's own table (the same Kafka numbers) and they
 * are not retriable, as in Kafka's Errors.java.
 */
import { ErrorCode as ControllerErrorCode, type ApiError } from '../../metadata/index.js';
import { ALL_ERROR_CODES, type ErrorCodeInfo } from '../../protocol/error-codes.js';

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
  const code = (ControllerErrorCode as Readonly<Record<string, number>>)[name] ?? -1;
  return { error: name, errorCode: code, retriable: false, message };
}

export function fromApiError(error: ApiError): WireError {
  return wireError(error.error, error.message);
}
