/**
 * The broker's line to the active controller (Kafka's NodeToControllerChannelManager): one
 * request connection per voter on the controller listener, requests sent to the controller
 * believed active, following the NOT_CONTROLLER hint (`leaderId`) in controller replies and
 * moving to the next voter when a connection fails, with backoff, until the caller's deadline.
 *
 * Requests and replies are the controller API of protocol/controller: every reply is validated
 * against its api's schema before anyone reads it. One that fails is treated like a broken
 * connection (NETWORK_EXCEPTION, retriable: another controller or a later try may answer
 * well), as Kafka's NetworkClient treats a response it cannot parse.
 *
 * A reply with a non-retriable error is an answer and is returned as is; so is a retriable one
 * when the deadline has passed (REQUEST_TIMED_OUT with the last error when nothing answered).
 * A transport failure counts by the Kafka code it maps onto (raft/transport/errors.ts): the
 * quorum refusing our cluster id is INCONSISTENT_CLUSTER_ID, final. Branches look at errorCode
 * and retriable only. Brokers use the channel for registration, heartbeats and AlterPartition,
 * and forward the admin requests of clients through it (KIP-590: clients never dial
 * controllers).
 */
import { createQuorumClient, type QuorumClient } from '../raft/transport/quorum-client.js';
import { TransportError } from '../raft/transport/errors.js';
import type { PeerAddress } from '../raft/transport/types.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  controllerErrorReply, decodeControllerReply, encodeControllerRequest, wireError,
  type ControllerApiName, type ControllerReplyOf, type ControllerRequestOf, type WireError,
} from '../protocol/controller/index.js';

const RETRY_BACKOFF_MIN_MS = 10;
const RETRY_BACKOFF_MAX_MS = 250;

/** One try at one controller: an answer to return, a hint to follow, or an error to retry. */
type Attempt<N extends ControllerApiName> =
  | { readonly kind: 'answer'; readonly reply: ControllerReplyOf<N> }
  | { readonly kind: 'hint'; readonly error: WireError; readonly leaderId: number }
  | { readonly kind: 'retry'; readonly error: WireError; readonly rotate: boolean };

export class ControllerChannel {
  readonly #clients = new Map<number, QuorumClient>();
  readonly #voterIds: number[];
  #activeGuess: number;
  #closed = false;

  constructor(options: {
    readonly voters: ReadonlyMap<number, PeerAddress>;
    readonly clientId: string;
    readonly clusterId: string;
  }) {
    for (const [id, address] of options.voters) {
      this.#clients.set(id, createQuorumClient({
        bootstrap: [address], clientId: options.clientId, clusterId: options.clusterId,
      }));
    }
    this.#voterIds = [...options.voters.keys()];
    this.#activeGuess = this.#voterIds[0] ?? -1;
  }

  /** The controller the last reply named as active (-1 when none is known). */
  get activeControllerId(): number {
    return this.#activeGuess;
  }

  /**
   * Sends `api` to the active controller, retrying retriable outcomes until `timeoutMs` passes.
   * Never rejects: a failure is a reply whose errorCode is not NONE.
   */
  async call<N extends ControllerApiName>(
    api: N, request: ControllerRequestOf<N>, timeoutMs: number,
  ): Promise<ControllerReplyOf<N>> {
    const deadline = Date.now() + timeoutMs;
    let backoffMs = RETRY_BACKOFF_MIN_MS;
    let last: WireError = wireError('REQUEST_TIMED_OUT',
      `no controller answered ${api} within ${timeoutMs} ms`);
    while (!this.#closed) {
      const target = this.#activeGuess;
      const client = this.#clients.get(target);
      const remaining = deadline - Date.now();
      if (client === undefined || remaining <= 0) break;
      const attempt = await this.#attempt(api, request, client, target, remaining);
      if (attempt.kind === 'answer') return attempt.reply;
      last = attempt.error;
      if (attempt.kind === 'hint') {
        this.#activeGuess = attempt.leaderId;
        continue; // a fresh hint: go there at once
      }
      if (attempt.rotate) this.#rotate(target);
      if (Date.now() + backoffMs >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
      backoffMs = Math.min(backoffMs * 2, RETRY_BACKOFF_MAX_MS);
    }
    const timedOut = last.errorCode === ErrorCode.REQUEST_TIMED_OUT ? last
      : wireError('REQUEST_TIMED_OUT', `${api} was not answered in ${timeoutMs} ms: ` +
        `${last.error} ${last.message}`.trim());
    return controllerErrorReply<N>(timedOut, -1);
  }

  async #attempt<N extends ControllerApiName>(
    api: N, request: ControllerRequestOf<N>, client: QuorumClient, target: number,
    remainingMs: number,
  ): Promise<Attempt<N>> {
    let payload: unknown;
    try {
      payload = await client.request(api, encodeControllerRequest(api, request),
        { timeoutMs: remainingMs });
    } catch (error) {
      // The quorum client rejects with TransportError only; anything else is a bug.
      if (!(error instanceof TransportError)) throw error;
      const message = `${error.message} (controller ${target})`;
      const mapped = wireError(error.kafkaError, message);
      if (!mapped.retriable) return { kind: 'answer', reply: controllerErrorReply<N>(mapped, -1) };
      return { kind: 'retry', error: wireError('REQUEST_TIMED_OUT', message), rotate: true };
    }
    const decoded = decodeControllerReply(api, payload);
    if (!decoded.ok) {
      const error = wireError('NETWORK_EXCEPTION', `${decoded.message} (controller ${target})`);
      return { kind: 'retry', error, rotate: true };
    }
    const reply = decoded.value;
    if (reply.errorCode === ErrorCode.NONE || !reply.retriable) return { kind: 'answer', reply };
    if (reply.leaderId >= 0 && reply.leaderId !== target) {
      return { kind: 'hint', error: reply, leaderId: reply.leaderId };
    }
    return { kind: 'retry', error: reply, rotate: reply.errorCode === ErrorCode.NOT_CONTROLLER };
  }

  #rotate(failed: number): void {
    const index = this.#voterIds.indexOf(failed);
    this.#activeGuess = this.#voterIds[(index + 1) % this.#voterIds.length] ?? failed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
  }
}
