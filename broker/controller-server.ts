/**
 * The controller role of a raftka node: a voter of the metadata quorum. It opens the metadata
 * log directory (`<metadata.log.dir>/__cluster_metadata-0`), listens on the controller listener
 * for Raft messages and quorum requests, and runs the Raft node with timeouts taken from the
 * controller.quorum.* keys. Until the metadata controller lands, the state machine it applies
 * committed entries to is a digest (count and CRC) of the entries.
 */
import { join } from 'node:path';
import type { ServerConfig } from '../config/server-config.js';
import { openFileRaftNode } from '../raft/file-node.js';
import { serveQuorumApi } from '../raft/quorum-service.js';
import type { RaftNode } from '../raft/runtime.js';
import { createWsRaftTransport } from '../raft/transport/ws-raft-transport.js';
import type { PeerAddress } from '../raft/transport/types.js';
import { LogDigestStateMachine } from './log-digest-state-machine.js';

export const METADATA_PARTITION_DIR = '__cluster_metadata-0';

export interface ControllerServer {
  readonly node: RaftNode;
  readonly port: number;
  readonly stateMachine: LogDigestStateMachine;
  /** Hands leadership over (EndQuorumEpoch), then stops. */
  shutdown(): Promise<void>;
}

export interface ControllerServerOptions {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly log: (line: string) => void;
}

export async function startControllerServer(options: ControllerServerOptions): Promise<ControllerServer> {
  const { config, clusterId, log } = options;
  const nodeId = config['node.id'];
  const listener = config.controllerListeners[0];
  if (listener === undefined) throw new Error('controller.listener.names names no listener');
  const voters = config['controller.quorum.voters'];
  const peers = new Map<number, PeerAddress>(voters.map((v) => [v.id, { host: v.host, port: v.port }]));
  const transport = await createWsRaftTransport({
    nodeId,
    clusterId,
    // An empty host in `listeners` means every interface, as in Kafka.
    listen: { host: listener.host === '' ? '0.0.0.0' : listener.host, port: listener.port },
    peers,
  });
  const stateMachine = new LogDigestStateMachine();
  const { node, recovery } = await openFileRaftNode({
    nodeId,
    voters: voters.map((v) => v.id),
    logDir: join(config.metadataLogDir, METADATA_PARTITION_DIR),
    // Measured with `npm run bench -- raft` on a 2-core machine: an fsync on the event loop beats
    // a thread-pool fsync at 1 and 128 proposals in flight (no hand-offs between threads).
    logStoreOptions: { fsync: 'inline' },
    transport,
    stateMachine,
    timing: {
      electionTimeoutMs: config['controller.quorum.election.timeout.ms'],
      fetchTimeoutMs: config['controller.quorum.fetch.timeout.ms'],
      electionBackoffMaxMs: config['controller.quorum.election.backoff.max.ms'],
      requestTimeoutMs: config['controller.quorum.request.timeout.ms'],
    },
    limits: {
      snapshotEveryBytes: config['metadata.log.max.record.bytes.between.snapshots'],
    },
    log,
  });
  if (recovery.bytesTruncated > 0) {
    log(`Recovered the metadata log: truncated ${recovery.bytesTruncated} bytes of a torn tail`);
  }
  serveQuorumApi(transport, node, () => stateMachine.digest());
  log(`Controller listening on ${listener.host || '0.0.0.0'}:${transport.port} ` +
    `(voters ${voters.map((v) => `${v.id}@${v.host}:${v.port}`).join(',')})`);
  return {
    node,
    port: transport.port,
    stateMachine,
    async shutdown() {
      node.resign();
      await waitForResignation(node);
      await node.close();
    },
  };
}

/** Gives a resigning leader a moment to hand over; a follower has nothing to wait for. */
async function waitForResignation(node: RaftNode): Promise<void> {
  const deadline = Date.now() + 1000;
  while (node.status().role === 'Leader' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
