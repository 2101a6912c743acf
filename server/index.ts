/**
 * server/: the daemon (Kafka's KafkaRaftServer with BrokerServer and ControllerServer side by
 * side). One process runs the roles process.roles gives it:
 *  - controller/  a voter of the metadata quorum running the QuorumController (metadata/) on
 *                 the Raft node (raft/), serving the controller API (protocol/controller);
 *  - broker/      follows the metadata log, registers and heartbeats with the active controller
 *                 (KIP-631 lifecycle), listens for clients and runs the data plane (broker/);
 *  - kafka-node.ts     starts the roles in order (controller first, broker first to stop);
 *  - metadata-raft.ts  the metadata log's Raft node, as a voter or an observer.
 *
 * server/ wires; what a broker or a controller does lives in broker/ and metadata/. Nothing
 * below server/ imports it; cli/ starts it.
 */
export { startKafkaNode, type KafkaNode, type KafkaNodeOptions } from './kafka-node.js';
export type { BrokerServer } from './broker/broker-server.js';
export type { QuorumControllerServer } from './controller/quorum-controller-server.js';
