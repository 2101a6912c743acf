/**
 * A quorum of real controller processes on loopback for Raft tests and benchmarks: writes a
 * controller-only server.properties per node into a temporary directory, formats each node's
 * storage with kafka-storage's engine (in this process), starts Raft-only controllers
 * (raft-controller-main.ts, the same life cycle as kafka-server-start), and tracks them by PID.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LeaderClient } from './leader-client.js';
import type { PeerAddress } from '../../raft/transport/types.js';
import { Launcher, ManagedProcess } from './launcher.js';
import { pollUntil } from './wait-for.js';
import { nodeProperties } from './node-properties.js';
import { distCli, rootPath } from './project-root.js';
import { freePorts } from './ports.js';
import { formatStorage, newClusterId } from './storage.js';

// Compiled tools: the processes tests start run from dist/, whether the tests do or not.
export { distCli };
/** The Raft-only controller (digest state machine, opaque proposals): consensus measured alone. */
const raftControllerMain = rootPath('dist', 'tests', 'harness', 'raft-controller-main.js');

function childNodeArgs(): string[] {
  return (process.env.RAFTKA_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

export interface ControllerClusterOptions {
  readonly size: number;
  /** Extra server.properties lines for every node (e.g. a small snapshot interval). */
  readonly extraProperties?: Readonly<Record<string, string | number>>;
  readonly echo?: boolean;
}

export class ControllerCluster {
  readonly launcher = new Launcher();
  readonly processes = new Map<number, ManagedProcess>();
  readonly voters: ReadonlyMap<number, PeerAddress>;
  readonly client: LeaderClient;

  private constructor(
    readonly root: string,
    readonly clusterId: string,
    readonly ports: readonly number[],
    private readonly options: ControllerClusterOptions,
  ) {
    this.voters = new Map(ports.map((port, i) => [i + 1, { host: '127.0.0.1', port }]));
    this.client = new LeaderClient(this.voters, 'test-harness', clusterId);
  }

  static async create(options: ControllerClusterOptions): Promise<ControllerCluster> {
    const root = await mkdtemp(join(tmpdir(), 'raftka-quorum-'));
    const ports = await freePorts(options.size);
    const cluster = new ControllerCluster(root, await newClusterId(), ports, options);
    for (let id = 1; id <= options.size; id++) {
      await writeFile(cluster.configPath(id), cluster.properties(id));
      await formatStorage(cluster.configPath(id), cluster.clusterId);
    }
    return cluster;
  }

  configPath(id: number): string {
    return join(this.root, `controller-${id}.properties`);
  }

  dataDir(id: number): string {
    return join(this.root, `node-${id}`);
  }

  private properties(id: number): string {
    return nodeProperties({
      nodeId: id,
      roles: ['controller'],
      voters: new Map(this.ports.map((port, i) => [i + 1, port])),
      dataDir: this.dataDir(id),
      ...(this.options.extraProperties === undefined ? {} : { extra: this.options.extraProperties }),
    });
  }

  /** Starts node `id` and waits until it reports that it is serving. */
  async start(id: number, timeoutMs = 15_000): Promise<ManagedProcess> {
    const managed = this.launcher.start({
      name: `controller-${id}`,
      command: process.execPath,
      // RAFTKA_CHILD_NODE_ARGS passes node flags (e.g. --cpu-prof) to the servers for profiling.
      args: [...childNodeArgs(), raftControllerMain, this.configPath(id)],
      echo: this.options.echo ?? false,
    });
    this.processes.set(id, managed);
    await managed.waitForLine(/Kafka Server started/, timeoutMs);
    return managed;
  }

  async startAll(): Promise<void> {
    await Promise.all([...this.voters.keys()].map((id) => this.start(id)));
  }

  /** The leader every reachable node agrees on, once there is one. */
  async leader(timeoutMs = 10_000): Promise<number> {
    return await pollUntil('an elected leader', async () => {
      const views = await Promise.all([...this.runningIds()].map(async (id) => {
        try {
          const { status } = await this.client.describe(id, 500);
          return status.role === 'Leader' ? status.nodeId : undefined;
        } catch {
          return undefined;
        }
      }));
      return views.find((v) => v !== undefined);
    }, timeoutMs);
  }

  runningIds(): number[] {
    return [...this.processes].filter(([, p]) => p.running).map(([id]) => id);
  }

  async kill(id: number): Promise<void> {
    await this.processes.get(id)?.kill();
  }

  async stop(): Promise<void> {
    await this.client.close();
    await this.launcher.stopAll();
    await rm(this.root, { recursive: true, force: true });
  }
}
