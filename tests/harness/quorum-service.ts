/**
 * The quorum's request API for its users (brokers, tools, the benchmark), served on the
 * controller listener next to the Raft messages:
 *  - `propose`  {records: bytes[]} -> {error, offsets, epoch, leaderId}: like Kafka's responses,
 *    application errors (NOT_LEADER_OR_FOLLOWER with the leader hint, REQUEST_TIMED_OUT, ...)
 *    travel in the payload; the frame's error code is kept for transport-level failures;
 *  - `describeQuorum` {} -> the leader's view (what `kafka-metadata-quorum describe` prints).
 * Payloads are validated here, at the trust boundary.
 */
import { z } from 'zod';
import type { RaftNode } from '../../raft/runtime.js';
import { ProposalError } from '../../raft/pending-proposals.js';
import type { QuorumDescription } from '../../raft/runtime.js';
import type { RequestResult, RequestServer } from '../../raft/transport/types.js';

export const QuorumApi = { propose: 'propose', describeQuorum: 'describeQuorum' } as const;

/** The most records one propose request may carry. */
export const MAX_RECORDS_PER_PROPOSE = 10_000;

const proposeSchema = z.object({
  records: z.array(z.instanceof(Uint8Array)).min(1).max(MAX_RECORDS_PER_PROPOSE),
});

export interface ProposeReply {
  /** 'NONE' on success, else a ProposalError code. */
  readonly error: string;
  readonly retriable: boolean;
  readonly message: string;
  readonly offsets: readonly number[];
  readonly epoch: number;
  /** The leader as this node knows it (-1 if unknown): where to send the next proposal. */
  readonly leaderId: number;
}

export interface DescribeQuorumReply {
  readonly status: QuorumDescription;
  /** Extra per-node facts a user wants next to the status (e.g. a state machine digest). */
  readonly extra?: unknown;
}

function fail(code: string, retriable: boolean, message: string): RequestResult {
  return { ok: false, error: { code, retriable }, message };
}

function proposeReply(node: RaftNode, fields: Partial<ProposeReply>): RequestResult {
  // leaderAndEpoch, not status(): no replica arrays on every reply of the benchmark's hot path.
  const { epoch, leaderId } = node.leaderAndEpoch;
  const payload: ProposeReply = {
    error: 'NONE', retriable: false, message: '', offsets: [], epoch, leaderId, ...fields,
  };
  return { ok: true, payload };
}

export function serveQuorumApi(
  server: RequestServer,
  node: RaftNode,
  extra: () => unknown = () => undefined,
): void {
  server.onRequest((api, payload, reply) => {
    if (api === QuorumApi.describeQuorum) {
      reply({ ok: true, payload: { status: node.describeQuorum(), extra: extra() } });
      return;
    }
    if (api !== QuorumApi.propose) {
      reply(fail('UNSUPPORTED_API', false, `unknown api '${api.slice(0, 64)}'`));
      return;
    }
    const parsed = proposeSchema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      reply(fail('INVALID_REQUEST', false, `records: ${issue?.message ?? 'invalid'}`));
      return;
    }
    Promise.all(parsed.data.records.map((record) => node.propose(record))).then(
      (results) => reply(proposeReply(node, {
        offsets: results.map((r) => r.offset), epoch: results[0]?.epoch ?? -1,
      })),
      (error: unknown) => {
        if (!(error instanceof ProposalError)) throw error;
        reply(proposeReply(node, {
          error: error.code, retriable: error.retriable, message: error.message,
          ...(error.leaderId >= 0 ? { leaderId: error.leaderId } : {}),
        }));
      },
    );
  });
}
