/**
 * The broker's line to the active controller (Kafka's NodeToControllerChannelManager): one
 * request connection per voter on the controller listener, requests sent to the controller
 * believed active, following the NOT_CONTROLLER hint (`leaderId`) in controller replies and
 * moving to the next voter when a connection fails, with backoff, until the caller's deadline.
 *
 * A reply with a non-retriable error is an answer and is returned as is; so is a retriable one
 * when the deadline has passed (REQUEST_TIMED_OUT with the last error when nothing answered).
 * Brokers use it for registration, heartbeats and AlterPartition, and forward the admin
 * requests of clients through it (KIP-590: clients never dial controllers).
 */
import { createQuorumClient, type QuorumClient } from '../raft/transport/quorum-client.js';
import type { PeerAddress } from '../raft/transport/types.js';
import { wireError, type ControllerReply, type WireError } from '../protocol/controller/index.js';

const RETRY_BACKOFF_MIN_MS = 10;
const RETRY_BACKOFF_MAX_MS = 250;

function failure<T>(error: WireError): ControllerReply<T> {
  return { ...error, leaderId: -1 } as ControllerReply<T>;
}

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
   * Never rejects: a failure is a reply whose error is not 'NONE'.
   */
  async call<T>(api: string, payload: unknown, timeoutMs: number): Promise<ControllerReply<T>> {
    const deadline = Date.now() + timeoutMs;
    let backoffMs = RETRY_BACKOFF_MIN_MS;
    let last: WireError = wireError('REQUEST_TIMED_OUT',
      `no controller answered ${api} within ${timeoutMs} ms`);
    while (!this.#closed) {
      const target = this.#activeGuess;
      const client = this.#clients.get(target);
      const remaining = deadline - Date.now();
      if (client === undefined || remaining <= 0) break;
      try {
        const reply = await client.request(api, payload, { timeoutMs: remaining });
        const answer = reply as ControllerReply<T>;
        if (answer.error === 'NONE' || !answer.retriable) return answer;
        last = answer;
        if (answer.leaderId >= 0 && answer.leaderId !== target) {
          this.#activeGuess = answer.leaderId;
          continue; // a fresh hint: go there at once
        }
        if (answer.error === 'NOT_CONTROLLER') this.#rotate(target);
      } catch (error) {
        const { retriable, code } = error as { retriable?: boolean; code?: string };
        const message = `${(error as Error).message} (controller ${target})`;
        // The quorum refused our cluster id at the handshake: Kafka's INCONSISTENT_CLUSTER_ID.
        if (code === 'INCONSISTENT_CLUSTER_ID') return failure<T>(wireError(code, message));
        if (retriable !== true) return failure<T>(wireError('UNKNOWN_SERVER_ERROR', message));
        last = wireError('REQUEST_TIMED_OUT', message);
        this.#rotate(target);
      }
      if (Date.now() + backoffMs >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
      backoffMs = Math.min(backoffMs * 2, RETRY_BACKOFF_MAX_MS);
    }
    const timedOut = last.error === 'REQUEST_TIMED_OUT' ? last
      : wireError('REQUEST_TIMED_OUT', `${api} was not answered in ${timeoutMs} ms: ` +
        `${last.error} ${last.message}`.trim());
    return failure<T>(timedOut);
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
