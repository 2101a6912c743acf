/**
 * protocol/controller: the controller API that brokers and tools speak to the active
 * controller (KIP-590: registration, heartbeats, AlterPartition, forwarded admin requests,
 * and describeQuorum and metadataImage for tools). Defined here like the client APIs: one file
 * per API under apis/ with the zod schemas of its request and of its reply's own fields
 * (registry.ts lists them), and codec.ts to encode and validate both directions, so the
 * controller checks every request and the broker every reply.
 *
 * Frames. The API rides on the Raft transport's request channel (the controller listener):
 * a request frame names the api and carries its payload; the response frame's own error code
 * is kept for what the transport or the dispatcher refuses (INVALID_REQUEST naming the field,
 * UNSUPPORTED_API). Every reply payload carries the outcome as WireError fields (Kafka's name,
 * its number from protocol/error-codes.ts, retriable, a message) with `leaderId`, the quorum
 * leader as the answering controller knows it; a successful reply adds the api's fields.
 * Callers branch on errorCode and retriable, never on names or message text.
 */
export {
  ControllerApi, defineControllerApi, type ControllerApiDefinition, type ControllerApiName,
  type ControllerReply,
} from './controller-apis.js';
export {
  CONTROLLER_APIS, isControllerApiName, type ControllerReplyFieldsOf, type ControllerReplyOf,
  type ControllerRequestOf,
} from './registry.js';
export {
  controllerErrorReply, decodeControllerReply, decodeControllerRequest, encodeControllerReply,
  encodeControllerRequest, type ControllerOutcome, type Decoded,
} from './codec.js';
export { fromApiError, NO_ERROR, wireError, type WireError } from './wire-error.js';
export { MAX_CONFIGS_PER_TOPIC, MAX_LIST_ENTRIES, MAX_TOPICS_PER_REQUEST } from './fields.js';
export type {
  CreateTopicControllerResult, CreateTopicsControllerRequest,
} from './apis/create-topics.js';
export type { DeleteTopicControllerResult } from './apis/delete-topics.js';
export { QUORUM_ROLES, type QuorumDescriptionReply } from './apis/describe-quorum.js';
export type {
  BrokerSummary, ImageSummary, PartitionSummary, TopicSummary,
} from './apis/metadata-image.js';
