/**
 * One raftka process with the roles process.roles gives it (Kafka's KafkaRaftServer): the
 * controller (a voter of the metadata quorum running the QuorumController), the broker (with
 * its data plane: partition logs and replication, broker/replica/), or both. In combined mode
 * the broker follows the metadata log through the controller's Raft node instead of opening a
 * second one.
 *
 * Order: the controller starts first (so a combined node can register with itself); at
 * shutdown the broker goes first, through controlled shutdown, then the controller hands its
 * leadership over.
 */
import type { ServerConfig } from '../config/server-config.js';
import { startBrokerServer, type BrokerServer } from './broker/broker-server.js';
import { createReplicaManager } from '../broker/replica/index.js';
import {
  startQuorumControllerServer, type QuorumControllerServer,
} from './controller/quorum-controller-server.js';

export interface KafkaNode {
  readonly controller: QuorumControllerServer | undefined;
  readonly broker: BrokerServer | undefined;
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaNodeOptions {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly log: (line: string) => void;
  readonly onFatal?: (error: Error) => void;
}

export async function startKafkaNode(options: KafkaNodeOptions): Promise<KafkaNode> {
  const { config, clusterId, log } = options;
  const controller = config.isController
    ? await startQuorumControllerServer({ config, clusterId, log })
    : undefined;
  let broker: BrokerServer | undefined;
  if (config.isBroker) {
    try {
      broker = await startBrokerServer({
        config, clusterId, log,
        ...(controller === undefined ? {} : {
          metadata: { node: controller.node, stateMachine: controller.stateMachine },
        }),
        dataPlane: (context) => createReplicaManager(context),
        ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
      });
    } catch (error) {
      await controller?.close();
      throw error;
    }
  }
  return {
    controller,
    broker,
    async shutdown() {
      await broker?.shutdown();
      await controller?.shutdown();
    },
    async close() {
      await broker?.close();
      await controller?.close();
    },
  };
}
