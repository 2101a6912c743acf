/**
 * A raftka cluster of real kafka-server-start processes on loopback, for cluster and chaos
 * tests and benchmarks: `controllers` controller-only nodes (ids 1..C) and `brokers`
 * broker-only nodes (ids C+1..C+B), or the same count of combined nodes. It writes each
 * node's server.properties into a temporary directory, formats its storage with
 * kafka-storage's engine (in this process), starts and stops the processes by PID (Launcher),
 * and hands out clients.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka } from '../../client/index.js';
import { distCli } from './controller-cluster.js';
import { Launcher, ManagedProcess } from './launcher.js';
import { nodeProperties } from './node-properties.js';
import { freePorts } from './ports.js';
import { formatStorage, newClusterId } from './storage.js';

function childNodeArgs(): string[] {
  return (process.env.RAFTKA_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

export interface KafkaClusterOptions {
  readonly controllers: number;
  /** Broker-only nodes; 0 with `combined` makes every controller a broker too. */
  readonly brokers: number;
  readonly combined?: boolean;
  /** Extra server.properties lines for every node. */
  readonly extraProperties?: Readonly<Record<string, string | number>>;
  readonly echo?: boolean;
}

export class KafkaCluster {
  readonly launcher = new Launcher();
  readonly processes = new Map<number, ManagedProcess>();
  readonly controllerIds: readonly number[];
  readonly brokerIds: readonly number[];
  readonly #kafkas: Kafka[] = [];

  private constructor(
    readonly root: string,
    readonly clusterId: string,
    readonly controllerPorts: ReadonlyMap<number, number>,
    readonly brokerPorts: ReadonlyMap<number, number>,
    private readonly options: KafkaClusterOptions,
  ) {
    this.controllerIds = [...controllerPorts.keys()];
    this.brokerIds = [...brokerPorts.keys()];
  }

  static async create(options: KafkaClusterOptions): Promise<KafkaCluster> {
    const root = await mkdtemp(join(tmpdir(), 'raftka-cluster-'));
    const combined = options.combined === true;
    const brokerCount = combined ? options.controllers : options.brokers;
    const ports = await freePorts(options.controllers + brokerCount);
    const controllerPorts = new Map<number, number>();
    for (let i = 0; i < options.controllers; i++) controllerPorts.set(i + 1, ports[i]!);
    const brokerPorts = new Map<number, number>();
    for (let i = 0; i < brokerCount; i++) {
      const id = combined ? i + 1 : options.controllers + i + 1;
      brokerPorts.set(id, ports[options.controllers + i]!);
    }
    const clusterId = await newClusterId();
    const cluster = new KafkaCluster(root, clusterId, controllerPorts, brokerPorts, options);
    await Promise.all(cluster.nodeIds().map((id) => cluster.format(id)));
    return cluster;
  }

  nodeIds(): number[] {
    return [...new Set([...this.controllerIds, ...this.brokerIds])].sort((a, b) => a - b);
  }

  configPath(id: number): string {
    return join(this.root, `node-${id}.properties`);
  }

  dataDir(id: number): string {
    return join(this.root, `node-${id}`);
  }

  /** Writes the node's properties and formats its storage (with `clusterId`, by default ours). */
  async format(id: number, clusterId = this.clusterId): Promise<void> {
    const roles: ('broker' | 'controller')[] = [];
    if (this.brokerPorts.has(id)) roles.push('broker');
    if (this.controllerPorts.has(id)) roles.push('controller');
    const brokerPort = this.brokerPorts.get(id);
    await writeFile(this.configPath(id), nodeProperties({
      nodeId: id, roles, voters: this.controllerPorts, dataDir: this.dataDir(id),
      ...(brokerPort === undefined ? {} : { brokerPort }),
      ...(this.options.extraProperties === undefined ? {} : { extra: this.options.extraProperties }),
    }));
    await formatStorage(this.configPath(id), clusterId);
  }

  /** The addresses of the brokers, for `new Kafka({ brokers })` and --bootstrap-server. */
  bootstrap(ids: readonly number[] = this.brokerIds): string[] {
    return ids.map((id) => `127.0.0.1:${this.brokerPorts.get(id)}`);
  }

  /** Starts node `id` (extra args go to kafka-server-start) without waiting for it. */
  launch(id: number, extraArgs: readonly string[] = [], configPath = this.configPath(id)) {
    const managed = this.launcher.start({
      name: `node-${id}`,
      command: process.execPath,
      args: [...childNodeArgs(), distCli('kafka-server-start'), configPath, ...extraArgs],
      echo: this.options.echo ?? false,
    });
    this.processes.set(id, managed);
    return managed;
  }

  /** Starts node `id` and waits for Kafka's start-up line. */
  async start(id: number, timeoutMs = 20_000): Promise<ManagedProcess> {
    const managed = this.launch(id);
    await managed.waitForLine(/Kafka Server started/, timeoutMs);
    return managed;
  }

  /** Starts every node; controllers first (brokers wait for them to register anyway). */
  async startAll(timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.nodeIds().map((id) => this.start(id, timeoutMs)));
  }

  process(id: number): ManagedProcess {
    const managed = this.processes.get(id);
    if (managed === undefined) throw new Error(`node ${id} was never started`);
    return managed;
  }

  async kill(id: number): Promise<void> {
    await this.processes.get(id)?.kill();
  }

  /** SIGTERM, then wait for the exit; resolves with the exit code. */
  async terminate(id: number, timeoutMs = 20_000): Promise<number | null> {
    const managed = this.process(id);
    managed.signal('SIGTERM');
    const timer = setTimeout(() => managed.signal('SIGKILL'), timeoutMs);
    const { code } = await managed.exited;
    clearTimeout(timer);
    return code;
  }

  /** A client bootstrapped from the given brokers (all by default); disconnected at stop(). */
  kafka(ids: readonly number[] = this.brokerIds, clientId = 'test-client'): Kafka {
    const kafka = new Kafka({ clientId, brokers: this.bootstrap(ids) });
    this.#kafkas.push(kafka);
    return kafka;
  }

  async stop(): Promise<void> {
    await this.launcher.stopAll();
    await rm(this.root, { recursive: true, force: true });
  }
}
