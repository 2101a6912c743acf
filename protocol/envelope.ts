/**
 * The envelope around every payload: one msgpack map per WebSocket binary message.
 *
 *   request   {correlationId, api, version, clientId, payload}
 *   response  {correlationId, errorCode?, errorMessage?, payload?}
 *
 * It mirrors Kafka's request header v1 (api key, api version, correlation id, client id): the
 * client names itself in every request, so there is no hello and no per-connection state
 * before the first request. A response's errorCode is for failures of the request as a whole
 * (INVALID_REQUEST, UNSUPPORTED_VERSION); per-topic errors travel inside the payload, as in
 * Kafka. An absent errorCode means NONE.
 */
import { z } from 'zod';
import { MAX_CLIENT_ID_LENGTH, MAX_CORRELATION_ID } from './limits.js';
import { errorCode, errorMessage, int16, int32 } from './primitives.js';

export const correlationIdSchema = int32.min(0).max(MAX_CORRELATION_ID);

export const requestEnvelopeSchema = z.object({
  correlationId: correlationIdSchema,
  api: int16,
  version: int16.min(0),
  clientId: z.string().max(MAX_CLIENT_ID_LENGTH).nullable(),
  payload: z.unknown(),
});

export const responseEnvelopeSchema = z.object({
  correlationId: correlationIdSchema,
  errorCode: errorCode.optional(),
  errorMessage: errorMessage.optional(),
  /** Absent on an error response. */
  payload: z.unknown().optional(),
});

export interface RequestHeader {
  readonly correlationId: number;
  readonly api: number;
  readonly version: number;
  readonly clientId: string | null;
}

/** Reads a usable correlation id out of a frame that failed validation, if there is one. */
export function salvageCorrelationId(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const parsed = correlationIdSchema.safeParse((value as Record<string, unknown>)['correlationId']);
  return parsed.success ? parsed.data : undefined;
}

const MAX_ISSUE_TEXT = 400;

/** One zod issue as `field.path[0].name: message`, the field named as the brief asks. */
export function describeIssue(
  issue: { readonly path: readonly PropertyKey[]; readonly message: string } | undefined,
  prefix = '',
): string {
  if (issue === undefined) return 'invalid value';
  let path = prefix;
  for (const part of issue.path) {
    if (typeof part === 'number') path += `[${part}]`;
    else path += path === '' ? String(part) : `.${String(part)}`;
  }
  const text = path === '' ? issue.message : `${path}: ${issue.message}`;
  return text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT)}...` : text;
}
