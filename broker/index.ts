/**
 * broker/: what a broker is, apart from the process that runs it (server/broker/). It owns
 *  - log/       partition logs: segments of Kafka v2 record batches with offset and time
 *               indexes, the leader-epoch cache, recovery and retention;
 *  - replica/   the data plane (Kafka's ReplicaManager): leaders and followers per partition,
 *               produce/fetch/list-offsets, the high watermark and ISR rules, replica fetchers;
 *  - api/       the client listener and the request router (Kafka's SocketServer and
 *               KafkaApis): answers from the metadata image, admin requests forwarded to the
 *               active controller, and the data plane for partitions;
 *  - controller-channel.ts  the broker's line to the active controller (KIP-590);
 *  - data-plane.ts          the contract between the broker server and the data plane.
 *
 * Contracts: record batches travel as bytes (the broker checks the CRC and stamps offsets, never
 * re-encodes); nothing is acknowledged before it is as durable as acks and
 * log.flush.interval.messages promise; every frame from a client is validated at the listener
 * before a handler sees it, and handlers answer typed responses that the listener encodes (so a
 * second listener can share them). broker/ never imports server/, client/ or cli/.
 */
export {
  createReplicaManager, ReplicaManager, type ReplicaManagerOptions,
} from './replica/index.js';
export {
  listenForClients, type ClientListener, type ClientConnection,
} from './api/client-listener.js';
export { routeRequest, type HandlerResult, type RouterContext } from './api/request-router.js';
export { ControllerChannel } from './controller-channel.js';
export type { DataPlane, DataPlaneContext } from './data-plane.js';
