/**
 * Three quorum controller servers in this process, on loopback and ephemeral ports: each gets a
 * controller-only server.properties in a temporary directory, formatted with the library
 * behind `kafka-storage format`, and one quorum client per controller. `request` follows the
 * NOT_CONTROLLER leader hint until the deadline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatStorage } from '../../../cli/storage/format.js';
import { parseProperties } from '../../../config/properties.js';
import { buildServerConfig, type ServerConfig } from '../../../config/server-config.js';
import { randomUuid } from '../../../lib/uuid.js';
import {
  startQuorumControllerServer, type QuorumControllerServer,
} from '../../../server/controller/quorum-controller-server.js';
import type { ControllerReply } from '../../../protocol/controller/index.js';
import type { ImageSummary } from '../../../server/controller/image-summary.js';
import { createQuorumClient, type QuorumClient } from '../../../raft/transport/quorum-client.js';
import { freePorts } from '../../harness/ports.js';
import { pollUntil } from '../../harness/wait-for.js';

export const HOST = '127.0.0.1';
export { pollUntil };

export class InProcessQuorum {
  readonly servers = new Map<number, QuorumControllerServer>();
  readonly clients = new Map<number, QuorumClient>();
  readonly lines: string[] = [];
  #leaderGuess = 1;

  private constructor(
    readonly root: string,
    readonly clusterId: string,
    readonly configs: ReadonlyMap<number, ServerConfig>,
  ) {}

  static async start(size: number): Promise<InProcessQuorum> {
    const root = await mkdtemp(join(tmpdir(), 'raftka-controller-wiring-'));
    const ports = await freePorts(size);
    const voters = ports.map((port, i) => `${i + 1}@${HOST}:${port}`).join(',');
    const clusterId = randomUuid();
    const configs = new Map<number, ServerConfig>();
    for (let id = 1; id <= size; id++) {
      const text = [
        'process.roles=controller', `node.id=${id}`, `controller.quorum.voters=${voters}`,
        `listeners=CONTROLLER://${HOST}:${ports[id - 1]}`, 'controller.listener.names=CONTROLLER',
        `log.dirs=${join(root, `node-${id}`)}`,
        // Short Raft timeouts so a failover fits the test's deadlines.
        'controller.quorum.election.timeout.ms=300', 'controller.quorum.fetch.timeout.ms=600',
        'controller.quorum.election.backoff.max.ms=300',
        // No heartbeats are sent between tests: keep the test broker's session alive.
        'broker.session.timeout.ms=60000',
      ].join('\n');
      const built = buildServerConfig({
        fileName: `controller-${id}.properties`, entries: parseProperties(text).entries,
      });
      if (!built.ok) throw new Error(built.errors.join('\n'));
      configs.set(id, built.config);
      await formatStorage({ config: built.config, clusterId, print: () => {} });
    }
    const quorum = new InProcessQuorum(root, clusterId, configs);
    for (const [id, config] of configs) {
      await quorum.startNode(id);
      quorum.clients.set(id, createQuorumClient({
        bootstrap: [{ host: HOST, port: config['controller.quorum.voters'][id - 1]!.port }],
        clientId: 'controller-wiring-test', clusterId,
      }));
    }
    return quorum;
  }

  async startNode(id: number): Promise<QuorumControllerServer> {
    const server = await startQuorumControllerServer({
      config: this.configs.get(id)!, clusterId: this.clusterId, seed: id,
      log: (line) => this.lines.push(`[${id}] ${line}`),
    });
    this.servers.set(id, server);
    return server;
  }

  /** Stops a controller without a hand-over (the others must elect a new leader). */
  async stopNode(id: number): Promise<void> {
    await this.servers.get(id)?.close();
    this.servers.delete(id);
  }

  /** Asks one controller directly. */
  async ask<T>(
    id: number, api: string, payload: unknown, timeoutMs = 2000,
  ): Promise<ControllerReply<T>> {
    const client = this.clients.get(id);
    if (client === undefined) throw new Error(`no client for ${id}`);
    return (await client.request(api, payload, { timeoutMs })) as ControllerReply<T>;
  }

  /** Sends to the active controller, following NOT_CONTROLLER hints, until the deadline. */
  async request<T>(api: string, payload: unknown, timeoutMs = 10_000): Promise<ControllerReply<T>> {
    return await pollUntil(`${api} answer from the active controller`, async () => {
      const target = this.servers.has(this.#leaderGuess) ? this.#leaderGuess : this.#next();
      let reply: ControllerReply<T>;
      try {
        reply = await this.ask<T>(target, api, payload, 1000);
      } catch (error) {
        this.#leaderGuess = this.#next();
        throw error;
      }
      if (reply.error !== 'NOT_CONTROLLER') return reply;
      this.#leaderGuess = reply.leaderId >= 0 && reply.leaderId !== target
        ? reply.leaderId : this.#next();
      return undefined;
    }, timeoutMs);
  }

  async image(id: number): Promise<ImageSummary> {
    return (await this.ask<ImageSummary>(id, 'metadataImage', {})) as unknown as ImageSummary;
  }

  #next(): number {
    const ids = [...this.servers.keys()].sort((a, b) => a - b);
    const after = ids.find((id) => id > this.#leaderGuess);
    return after ?? ids[0] ?? 1;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    await Promise.all([...this.servers.values()].map((server) => server.close()));
    this.servers.clear();
    await rm(this.root, { recursive: true, force: true });
  }
}
