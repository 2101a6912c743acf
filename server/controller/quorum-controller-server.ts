/**
 * The controller role of a raftka node with the metadata controller (KIP-631): like
 * startControllerServer (same transport, metadata log directory and Raft timing), but the
 * committed entries are applied to the MetadataStateMachine, and a QuorumController, active on
 * the Raft leader and a hot standby elsewhere, serves the controller API (controller-api.ts)
 * on the controller listener. controller-driver.ts keeps the controller in
 * step with the Raft node (activation, offsets, timers).
 */
import { randomInt } from 'node:crypto';
import { readBootstrapCheckpoint } from '../../config/bootstrap-checkpoint.js';
import type { ServerConfig } from '../../config/server-config.js';
import { createPrng } from '../../lib/prng.js';
import {
  controllerConfig, MetadataStateMachine, QuorumController, type ControllerConfig,
} from '../../metadata/index.js';
import type { RaftNode } from '../../raft/runtime.js';
import { DEFAULT_LIMITS } from '../../raft/runtime.js';
import { serveControllerApi } from './controller-api.js';
import { ControllerDriver } from './controller-driver.js';
import { openMetadataRaft, resignLeadership } from '../metadata-raft.js';

export interface QuorumControllerServer {
  readonly node: RaftNode;
  readonly port: number;
  readonly stateMachine: MetadataStateMachine;
  readonly driver: ControllerDriver;
  /** Hands leadership over (EndQuorumEpoch), then stops. */
  shutdown(): Promise<void>;
  /** Stops at once, without handing leadership over (like a crash, minus the disk). */
  close(): Promise<void>;
}

export interface QuorumControllerServerOptions {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly log: (line: string) => void;
  /** Seeds topic ids and replica placement; random when absent. */
  readonly seed?: number;
}

/** server.properties, under Kafka's names, to the controller's settings. */
export function controllerConfigOf(config: ServerConfig, clusterId: string): ControllerConfig {
  return controllerConfig({
    clusterId,
    defaultNumPartitions: config['num.partitions'],
    defaultReplicationFactor: config['default.replication.factor'],
    brokerSessionTimeoutMs: config['broker.session.timeout.ms'],
    uncleanLeaderElectionEnable: config['unclean.leader.election.enable'],
  });
}

export async function startQuorumControllerServer(
  options: QuorumControllerServerOptions,
): Promise<QuorumControllerServer> {
  const { config, clusterId, log } = options;
  const bootstrap = await readBootstrapCheckpoint(config.metadataLogDir);
  const stateMachine = new MetadataStateMachine();
  const { node, transport, description } = await openMetadataRaft({
    config, clusterId, stateMachine, log,
  });
  // Started in the same turn as the node, so no committed entry is missed (the node applies
  // its first Ready in a later turn).
  const controller = new QuorumController({
    config: controllerConfigOf(config, clusterId),
    prng: createPrng(options.seed ?? randomInt(0, 2 ** 31)),
    image: stateMachine.image,
  });
  const driver = new ControllerDriver({
    raft: node,
    stateMachine,
    controller,
    ...(bootstrap === undefined
      ? {}
      : { bootstrapMetadataVersionLevel: bootstrap.metadataVersionLevel }),
    heartbeatIntervalMs: config['broker.heartbeat.interval.ms'],
    idleIntervalMs: config['metadata.max.idle.interval.ms'],
    emptyWriteTimeoutMs: DEFAULT_LIMITS.proposalTimeoutMs,
    log,
  });
  serveControllerApi(transport, node, driver);
  log(`Quorum controller listening on ${description}`);
  const close = async (): Promise<void> => {
    driver.close();
    await node.close();
  };
  return {
    node,
    port: transport.port,
    stateMachine,
    driver,
    async shutdown() {
      await resignLeadership(node);
      await close();
    },
    close,
  };
}
