/**
 * The controller APIs by name, with the request and reply types of each. Adding one means one
 * file under apis/ and one line here.
 */
import { alterPartitionControllerApi } from './apis/alter-partition.js';
import { brokerHeartbeatControllerApi } from './apis/broker-heartbeat.js';
import { createPartitionsControllerApi } from './apis/create-partitions.js';
import { createTopicsControllerApi } from './apis/create-topics.js';
import { deleteTopicsControllerApi } from './apis/delete-topics.js';
import { describeQuorumControllerApi } from './apis/describe-quorum.js';
import { metadataImageControllerApi } from './apis/metadata-image.js';
import { registerBrokerControllerApi } from './apis/register-broker.js';
import {
  ControllerApi, type ControllerApiDefinition, type ControllerApiName, type ControllerReply,
} from './controller-apis.js';

export const CONTROLLER_APIS = {
  [ControllerApi.createTopics]: createTopicsControllerApi,
  [ControllerApi.deleteTopics]: deleteTopicsControllerApi,
  [ControllerApi.createPartitions]: createPartitionsControllerApi,
  [ControllerApi.registerBroker]: registerBrokerControllerApi,
  [ControllerApi.brokerHeartbeat]: brokerHeartbeatControllerApi,
  [ControllerApi.alterPartition]: alterPartitionControllerApi,
  [ControllerApi.describeQuorum]: describeQuorumControllerApi,
  [ControllerApi.metadataImage]: metadataImageControllerApi,
} as const satisfies {
  readonly [N in ControllerApiName]: ControllerApiDefinition<N, unknown, unknown>;
};

export type ControllerRequestOf<N extends ControllerApiName> =
  (typeof CONTROLLER_APIS)[N] extends ControllerApiDefinition<N, infer Request, unknown>
    ? Request : never;
/** The api's own fields of a successful reply. */
export type ControllerReplyFieldsOf<N extends ControllerApiName> =
  (typeof CONTROLLER_APIS)[N] extends
    ControllerApiDefinition<N, unknown, infer Fields extends object> ? Fields : never;
export type ControllerReplyOf<N extends ControllerApiName> =
  ControllerReply<ControllerReplyFieldsOf<N>>;

export function isControllerApiName(api: string): api is ControllerApiName {
  return Object.hasOwn(CONTROLLER_APIS, api);
}
