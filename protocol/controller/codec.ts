/**
 * The controller API's payloads, for both ends. They travel in the Raft transport's request
 * and response frames (raft/transport/frame-schema.ts: msgpack maps, the api by name, the
 * payload opaque to the transport); this file owns what is inside.
 *
 * Controller side: decodeControllerRequest validates a request (the trust boundary) and names
 * the field it refuses; encodeControllerReply builds the reply from the outcome.
 * Broker side: encodeControllerRequest, then decodeControllerReply: the outcome and the leader
 * hint every reply has and, on success, the api's own fields. The broker treats a reply it
 * refuses as a network error (retriable), as Kafka's NetworkClient does with a response it
 * cannot parse. Neither decoder throws.
 */
import { z } from 'zod';
import { describeIssue } from '../envelope.js';
import { ErrorCode } from '../error-codes.js';
import type { ControllerApiDefinition, ControllerApiName } from './controller-apis.js';
import { nodeId, wireErrorFields } from './fields.js';
import {
  CONTROLLER_APIS, type ControllerReplyFieldsOf, type ControllerReplyOf,
  type ControllerRequestOf,
} from './registry.js';
import { NO_ERROR, type WireError } from './wire-error.js';

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** What a handler answers: the api's fields, or the error that stands for the whole request. */
export type ControllerOutcome<N extends ControllerApiName> =
  | { readonly ok: true; readonly fields: ControllerReplyFieldsOf<N> }
  | { readonly ok: false; readonly error: WireError };

// Indexing this mapped type with a generic name keeps the name's own request and reply types.
const definitions: {
  readonly [N in ControllerApiName]: ControllerApiDefinition<
    N, ControllerRequestOf<N>, ControllerReplyFieldsOf<N>>;
} = CONTROLLER_APIS;

/** The outcome and the leader hint (the NOT_CONTROLLER hint), in every reply. */
const replyHeadSchema = z.object({ ...wireErrorFields, leaderId: nodeId });

/** The payload of a request frame; its type is the check (the controller validates it). */
export function encodeControllerRequest<N extends ControllerApiName>(
  _api: N, request: ControllerRequestOf<N>,
): unknown {
  return request;
}

/** Validates a request payload at the controller. Never throws. */
export function decodeControllerRequest<N extends ControllerApiName>(
  api: N, payload: unknown,
): Decoded<ControllerRequestOf<N>> {
  const parsed = definitions[api].request.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  return refused(`Invalid ${api} request`, parsed.error);
}

/** The payload of a reply frame: the outcome, the leader hint and, on success, the fields. */
export function encodeControllerReply<N extends ControllerApiName>(
  _api: N, leaderId: number, outcome: ControllerOutcome<N>,
): unknown {
  if (outcome.ok) return { ...NO_ERROR, leaderId, ...outcome.fields };
  return { ...outcome.error, leaderId };
}

/**
 * Validates a reply payload at the broker. A successful reply must carry all of the api's
 * fields; an error reply is read for its outcome and leader hint only. Never throws.
 */
export function decodeControllerReply<N extends ControllerApiName>(
  api: N, payload: unknown,
): Decoded<ControllerReplyOf<N>> {
  const head = replyHeadSchema.safeParse(payload);
  if (!head.success) return refused(`Invalid ${api} reply`, head.error);
  if (head.data.errorCode !== ErrorCode.NONE) {
    return { ok: true, value: controllerErrorReply<N>(head.data, head.data.leaderId) };
  }
  const fields = definitions[api].reply.safeParse(payload);
  if (!fields.success) return refused(`Invalid ${api} reply`, fields.error);
  return { ok: true, value: { ...head.data, ...fields.data } };
}

/** A reply without the api's fields: an error, with the leader hint (-1: none known). */
export function controllerErrorReply<N extends ControllerApiName>(
  error: WireError, leaderId: number,
): ControllerReplyOf<N> {
  const noFields: Partial<ControllerReplyFieldsOf<N>> = {};
  const { error: name, errorCode, retriable, message } = error;
  return { error: name, errorCode, retriable, message, leaderId, ...noFields };
}

function refused(what: string, error: z.ZodError): { readonly ok: false; message: string } {
  return { ok: false, message: `${what}: ${describeIssue(error.issues[0], 'payload')}` };
}
