/**
 * The Raft node of the metadata log, opened from `<metadata.log.dir>/__cluster_metadata-0` with
 * the controller.quorum.* timeouts, whatever state machine it runs:
 *  - on a controller, a voter listening on the controller listener, which also answers the
 *    observers (brokers) that fetch from it;
 *  - on a broker-only node, an observer (KIP-595): it fetches the committed log from the
 *    leader over its outbound connections and never votes. It binds an ephemeral loopback
 *    port only because the transport always listens; no one dials it.
 * Plus the orderly hand-over of leadership at shutdown.
 */
import { join } from 'node:path';
import type { ServerConfig } from '../config/server-config.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { Role } from '../raft/core/types.js';
import { openFileRaftNode } from '../raft/file-node.js';
import type { RaftNode } from '../raft/runtime.js';
import type { StateMachine } from '../raft/state-machine.js';
import type { PeerAddress } from '../raft/transport/types.js';
import {
  createWsRaftTransport, type WsRaftTransport,
} from '../raft/transport/ws-raft-transport.js';

export const METADATA_PARTITION_DIR = '__cluster_metadata-0';

export interface MetadataRaft {
  readonly node: RaftNode;
  readonly transport: WsRaftTransport;
  /** `host:port (voters ...)`, for the start-up line. */
  readonly description: string;
}

export async function openMetadataRaft(options: {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly stateMachine: StateMachine;
  readonly log: (line: string) => void;
}): Promise<MetadataRaft> {
  const { config, clusterId, stateMachine, log } = options;
  const voters = config['controller.quorum.voters'];
  const peers = new Map<number, PeerAddress>(
    voters.map((v) => [v.id, { host: v.host, port: v.port }]),
  );
  const listen = listenAddress(config);
  const transport = await createWsRaftTransport({
    nodeId: config['node.id'], clusterId, listen, peers, acceptObservers: config.isController,
  });
  const { node, recovery } = await openFileRaftNode({
    nodeId: config['node.id'],
    voters: voters.map((v) => v.id),
    logDir: join(config.metadataLogDir, METADATA_PARTITION_DIR),
    // Measured with `npm run bench -- raft` on a 2-core machine: an fsync on the event loop beats
    // a thread-pool fsync at 1 and 128 proposals in flight (no hand-offs between threads). A
    // node that is also a broker fsyncs in the thread pool instead, so that the metadata log's
    // fsyncs do not stall produce and fetch on the shared event loop.
    logStoreOptions: { fsync: config.isBroker ? 'threadpool' : 'inline' },
    transport,
    stateMachine,
    timing: {
      electionTimeoutMs: config['controller.quorum.election.timeout.ms'],
      fetchTimeoutMs: config['controller.quorum.fetch.timeout.ms'],
      electionBackoffMaxMs: config['controller.quorum.election.backoff.max.ms'],
      requestTimeoutMs: config['controller.quorum.request.timeout.ms'],
    },
    limits: { snapshotEveryBytes: config['metadata.log.max.record.bytes.between.snapshots'] },
    log,
  });
  if (recovery.bytesTruncated > 0) {
    log(`Recovered the metadata log: truncated ${recovery.bytesTruncated} bytes of a torn tail`);
  }
  const voterList = voters.map((v) => `${v.id}@${v.host}:${v.port}`).join(',');
  return {
    node, transport, description: `${listen.host}:${transport.port} (voters ${voterList})`,
  };
}

function listenAddress(config: ServerConfig): PeerAddress {
  if (!config.isController) return { host: '127.0.0.1', port: 0 };
  const listener = config.controllerListeners[0];
  if (listener === undefined) throw new Error('controller.listener.names names no listener');
  // An empty host in `listeners` means every interface, as in Kafka.
  return { host: listener.host === '' ? '0.0.0.0' : listener.host, port: listener.port };
}

/** How long a shutdown waits for the hand-over to take effect. */
const RESIGN_WAIT_MS = 1000;

/**
 * Hands leadership over (KIP-595 EndQuorumEpoch) and resolves once this node no longer leads,
 * which the node reports in the same pump that hands the EndQuorumEpoch requests to the
 * transport (RaftClient.onLeaderChange), or after RESIGN_WAIT_MS.
 */
export async function resignLeadership(node: RaftNode, clock: Clock = systemClock): Promise<void> {
  if (node.leaderAndEpoch.role !== Role.leader) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      unsubscribe();
      timer.cancel();
      resolve();
    };
    const unsubscribe = node.onLeaderChange((leader) => {
      if (leader.role !== Role.leader) done();
    });
    const timer = clock.setTimeout(done, RESIGN_WAIT_MS);
    node.resign();
  });
}
