/**
 * zod schemas for every RaftMessage body (raft/core/types.ts), used on frames from peers.
 *
 * Numbers are checked for what the core relies on: offsets, epochs and sizes are non-negative
 * safe integers, node ids are non-negative except where -1 means "unknown". Binary fields must
 * decode as Uint8Array (msgpack bin); the schema keeps the decoder's view, it never copies.
 * Unknown keys are stripped (forward compatibility); the type-level checks at the bottom prove
 * that the schemas and the core's types describe the same values.
 */
import { z } from 'zod';
import { RaftError } from '../core/types.js';
import type { RaftMessage, RaftMessageBody } from '../core/types.js';

/** Upper bound of EndQuorumEpochRequest.preferredSuccessors (a voter set is far smaller). */
export const MAX_PREFERRED_SUCCESSORS = 256;

const nonNegativeInt = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const offset = nonNegativeInt;
const epoch = nonNegativeInt;
const nodeId = nonNegativeInt;
/** A node id that may be -1 ("no leader known"). */
const nodeIdOrNone = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);
const raftError = z.enum(Object.values(RaftError) as [RaftError, ...RaftError[]]);
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');

const snapshotId = z.object({ endOffset: offset, epoch });

export const logEntrySchema = z.object({
  offset,
  epoch,
  kind: z.union([z.literal(0), z.literal(1)]),
  data: bytes,
});

export const voteRequestSchema = z.object({
  type: z.literal('VoteRequest'),
  epoch,
  candidateId: nodeId,
  lastOffsetEpoch: epoch,
  lastOffset: offset,
  preVote: z.boolean(),
});
export const voteResponseSchema = z.object({
  type: z.literal('VoteResponse'),
  epoch,
  granted: z.boolean(),
  preVote: z.boolean(),
  leaderId: nodeIdOrNone,
  error: raftError,
});
export const beginQuorumEpochRequestSchema = z.object({
  type: z.literal('BeginQuorumEpochRequest'),
  epoch,
  leaderId: nodeId,
});
export const beginQuorumEpochResponseSchema = z.object({
  type: z.literal('BeginQuorumEpochResponse'),
  epoch,
  error: raftError,
});
export const endQuorumEpochRequestSchema = z.object({
  type: z.literal('EndQuorumEpochRequest'),
  epoch,
  leaderId: nodeId,
  preferredSuccessors: z.array(nodeId).max(MAX_PREFERRED_SUCCESSORS),
});
export const endQuorumEpochResponseSchema = z.object({
  type: z.literal('EndQuorumEpochResponse'),
  epoch,
  error: raftError,
});
export const fetchRequestSchema = z.object({
  type: z.literal('FetchRequest'),
  epoch,
  replicaId: nodeId,
  fetchOffset: offset,
  lastFetchedEpoch: epoch,
  maxBytes: nonNegativeInt,
});
/** The entry count is bounded by the frame size limit (maxFrameBytes), not by a separate cap. */
export const fetchResponseSchema = z.object({
  type: z.literal('FetchResponse'),
  epoch,
  leaderId: nodeIdOrNone,
  error: raftError,
  highWatermark: offset,
  logStartOffset: offset,
  entries: z.array(logEntrySchema),
  divergingEpoch: z.object({ epoch, endOffset: offset }).optional(),
  snapshotId: snapshotId.optional(),
});
export const fetchSnapshotRequestSchema = z.object({
  type: z.literal('FetchSnapshotRequest'),
  epoch,
  replicaId: nodeId,
  snapshotId,
  position: nonNegativeInt,
  maxBytes: nonNegativeInt,
});
export const fetchSnapshotResponseSchema = z.object({
  type: z.literal('FetchSnapshotResponse'),
  epoch,
  leaderId: nodeIdOrNone,
  error: raftError,
  snapshotId,
  size: nonNegativeInt,
  position: nonNegativeInt,
  bytes,
});

export const raftMessageBodySchema = z.discriminatedUnion('type', [
  voteRequestSchema,
  voteResponseSchema,
  beginQuorumEpochRequestSchema,
  beginQuorumEpochResponseSchema,
  endQuorumEpochRequestSchema,
  endQuorumEpochResponseSchema,
  fetchRequestSchema,
  fetchResponseSchema,
  fetchSnapshotRequestSchema,
  fetchSnapshotResponseSchema,
]);

export const raftMessageSchema = z.object({
  from: nodeId,
  to: nodeId,
  body: raftMessageBodySchema,
});

// Compile-time proof that schema output and core types agree in both directions: adding a
// body type or a field to raft/core/types.ts without updating this file fails the build.
type SchemaBody = z.infer<typeof raftMessageBodySchema>;
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepWritable<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer E)[]
    ? DeepWritable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: DeepWritable<T[K]> }
      : T;
const bodiesAgree: Equal<DeepWritable<RaftMessageBody>, SchemaBody> = true;
const messagesAgree: Equal<DeepWritable<RaftMessage>, z.infer<typeof raftMessageSchema>> = true;
void bodiesAgree;
void messagesAgree;
