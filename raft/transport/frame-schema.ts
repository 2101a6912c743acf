/**
 * The four frame kinds and their zod schemas. Every inbound frame passes frameSchema before
 * anything else reads it (the trust boundary: peers and clients alike).
 *
 *   hello     first frame on a connection: who is connecting (a peer controller or a client)
 *   raft      one RaftMessage; only a peer sends it, on its own outbound connection, and the
 *             accepting side delivers it (each direction between two peers has its own socket)
 *   request   {correlationId, api, payload} from a client (or a peer) to the accepting side
 *   response  {correlationId, error, message?, payload?} back on the same connection
 */
import { z } from 'zod';
import { raftMessageSchema } from './raft-message-schema.js';
import type { RaftMessage } from '../core/types.js';

/** Bumped on an incompatible change of the frame format; a mismatch closes the connection. */
export const PROTOCOL_VERSION = 1;
export const MAX_CLUSTER_ID_LENGTH = 64;
export const MAX_CLIENT_ID_LENGTH = 256;
export const MAX_API_NAME_LENGTH = 64;
export const MAX_ERROR_MESSAGE_LENGTH = 1024;
/** Correlation ids are unsigned 32-bit and wrap around (Kafka's are int32). */
export const MAX_CORRELATION_ID = 0xffff_ffff;

const clusterId = z.string().min(1).max(MAX_CLUSTER_ID_LENGTH);
const correlationId = z.number().int().min(0).max(MAX_CORRELATION_ID);

export const peerIdentitySchema = z.object({
  kind: z.literal('peer'),
  nodeId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  clusterId,
});
export const clientIdentitySchema = z.object({
  kind: z.literal('client'),
  clientId: z.string().max(MAX_CLIENT_ID_LENGTH),
  /** Optional for clients: when present it must match, as for peers. */
  clusterId: clusterId.optional(),
});

export const helloFrameSchema = z.object({
  kind: z.literal('hello'),
  version: z.literal(PROTOCOL_VERSION),
  identity: z.discriminatedUnion('kind', [peerIdentitySchema, clientIdentitySchema]),
});
export const raftFrameSchema = z.object({
  kind: z.literal('raft'),
  message: raftMessageSchema,
});
export const requestFrameSchema = z.object({
  kind: z.literal('request'),
  correlationId,
  api: z.string().min(1).max(MAX_API_NAME_LENGTH),
  /** Opaque here: the handler registered for `api` validates it (its own trust boundary). */
  payload: z.unknown(),
});
export const responseFrameSchema = z.object({
  kind: z.literal('response'),
  correlationId,
  /** A TransportErrorCode code; 'NONE' on success. Unknown codes are kept for the client. */
  error: z.string().min(1).max(MAX_API_NAME_LENGTH),
  message: z.string().max(MAX_ERROR_MESSAGE_LENGTH).optional(),
  payload: z.unknown(),
});

export const frameSchema = z.discriminatedUnion('kind', [
  helloFrameSchema,
  raftFrameSchema,
  requestFrameSchema,
  responseFrameSchema,
]);

export type PeerIdentity = z.infer<typeof peerIdentitySchema>;
export type ClientIdentity = z.infer<typeof clientIdentitySchema>;
export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type RequestFrame = z.infer<typeof requestFrameSchema>;
export type ResponseFrame = z.infer<typeof responseFrameSchema>;
/** The raft frame with the core's (readonly) message type rather than zod's inferred copy. */
export interface RaftFrame {
  readonly kind: 'raft';
  readonly message: RaftMessage;
}
export type Frame = HelloFrame | RaftFrame | RequestFrame | ResponseFrame;

/** Pulls a usable correlation id out of a request frame that failed validation, if any. */
export function salvageCorrelationId(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record['kind'] !== 'request') return undefined;
  const parsed = correlationId.safeParse(record['correlationId']);
  return parsed.success ? parsed.data : undefined;
}
