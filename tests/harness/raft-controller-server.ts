/**
 * A Raft-only controller process: a voter of the metadata quorum whose state machine is a digest
 * (count and CRC) of the committed entries, serving opaque proposals (quorum-service.ts).
 * The Raft benchmark and the Raft process tests run it, so that they measure consensus alone;
 * kafka-server-start runs the metadata controller (server/controller/quorum-controller-server.ts)
 * instead.
 */
import type { ServerConfig } from '../../config/server-config.js';
import { serveQuorumApi } from './quorum-service.js';
import type { RaftNode } from '../../raft/runtime.js';
import { openMetadataRaft, resignLeadership } from '../../server/metadata-raft.js';
import { LogDigestStateMachine } from './log-digest-state-machine.js';

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

export async function startControllerServer(
  options: ControllerServerOptions,
): Promise<ControllerServer> {
  const stateMachine = new LogDigestStateMachine();
  const { node, transport, description } = await openMetadataRaft({ ...options, stateMachine });
  serveQuorumApi(transport, node, () => stateMachine.digest());
  options.log(`Raft controller listening on ${description}`);
  return {
    node,
    port: transport.port,
    stateMachine,
    async shutdown() {
      await resignLeadership(node);
      await node.close();
    },
  };
}
