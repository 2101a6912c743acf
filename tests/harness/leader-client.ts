/**
 * A quorum user's view of the controllers: one request connection per voter, proposals sent to
 * the node believed to be the leader, following NOT_LEADER_OR_FOLLOWER hints and moving on when
 * a connection fails, with backoff, until the caller's deadline.
 */
import type { NodeId } from '../../raft/core/types.js';
import { QuorumApi, type DescribeQuorumReply, type ProposeReply } from './quorum-service.js';
import { createQuorumClient, type QuorumClient } from '../../raft/transport/quorum-client.js';
import type { PeerAddress } from '../../raft/transport/types.js';

const RETRY_BACKOFF_MIN_MS = 5;
const RETRY_BACKOFF_MAX_MS = 200;

export class LeaderClient {
  readonly #clients = new Map<NodeId, QuorumClient>();
  readonly #voterIds: NodeId[];
  #leaderGuess: NodeId;

  constructor(voters: ReadonlyMap<NodeId, PeerAddress>, clientId: string, clusterId?: string) {
    for (const [id, address] of voters) {
      this.#clients.set(id, createQuorumClient({
        bootstrap: [address], clientId, ...(clusterId === undefined ? {} : { clusterId }),
      }));
    }
    this.#voterIds = [...voters.keys()];
    this.#leaderGuess = this.#voterIds[0] ?? -1;
  }

  get leaderGuess(): NodeId {
    return this.#leaderGuess;
  }

  /** Proposes records; resolves once committed, or rejects with the last error at the deadline. */
  async propose(records: readonly Uint8Array[], timeoutMs: number): Promise<ProposeReply> {
    const deadline = Date.now() + timeoutMs;
    let backoffMs = RETRY_BACKOFF_MIN_MS;
    let lastError = 'no attempt';
    for (let attempt = 0; ; attempt++) {
      const target = this.#leaderGuess;
      const client = this.#clients.get(target);
      if (client === undefined) throw new Error(`unknown voter ${target}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`proposal not committed within ${timeoutMs} ms: ${lastError}`);
      }
      try {
        const reply = (await client.request(QuorumApi.propose, { records }, {
          timeoutMs: remaining,
        })) as ProposeReply;
        if (reply.error === 'NONE') return reply;
        lastError = `${reply.error} from ${target}`;
        if (!reply.retriable) throw new Error(`${reply.error}: ${reply.message}`);
        if (reply.leaderId >= 0 && reply.leaderId !== target) {
          this.#leaderGuess = reply.leaderId;
          continue; // a fresh hint: no need to wait
        }
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true;
        if (!retriable) throw error;
        lastError = `${String((error as Error).message)} from ${target}`;
        this.#rotate(target);
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
      backoffMs = Math.min(backoffMs * 2, RETRY_BACKOFF_MAX_MS);
    }
  }

  /** Asks one voter (or the believed leader) for its quorum status. */
  async describe(
    nodeId: NodeId = this.#leaderGuess,
    timeoutMs = 2000,
  ): Promise<DescribeQuorumReply> {
    const client = this.#clients.get(nodeId);
    if (client === undefined) throw new Error(`unknown voter ${nodeId}`);
    const reply = await client.request(QuorumApi.describeQuorum, {}, { timeoutMs });
    return reply as DescribeQuorumReply;
  }

  #rotate(failed: NodeId): void {
    const index = this.#voterIds.indexOf(failed);
    this.#leaderGuess = this.#voterIds[(index + 1) % this.#voterIds.length] ?? failed;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }
}
