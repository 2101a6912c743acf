/**
 * protocol/: the client-facing wire of the broker listener, shared by broker/ and client/.
 *
 * Frames. One msgpack map per WebSocket binary message (codec.ts, envelope.ts):
 *   request   {correlationId, api, version, clientId, payload}
 *   response  {correlationId, errorCode?, errorMessage?, payload?}
 * `api` and `version` are Kafka's API key and version; the client names itself in every request
 * (Kafka's request header v1), so a connection needs no hello. Many requests may be in flight
 * on one connection; responses may come in any order and are matched by correlation id. Frames
 * over maxFrameBytes (Kafka's socket.request.max.bytes, 100 MiB by default) are refused.
 *
 * APIs (apis/, one file each with its zod schemas; registry.ts lists them): the data plane
 * (Produce, Fetch, ListOffsets: record batches travel as opaque bytes, records/ reads and
 * writes them) and ApiVersions, Metadata, CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeCluster, DescribeQuorum, DescribeConfigs, all at version 0. A Produce with acks=0
 * gets no response frame at all, as in Kafka.
 *
 * Handlers and listeners (served-response.ts): a handler answers a decoded request with a
 * typed ServedAnswer (a response of the request's api, a failure of the whole request, or
 * nothing); the listener that decoded the request encodes the answer (encodeAnswer).
 *
 * Errors (error-codes.ts): Kafka's numeric codes, names and retriable flags, defined once.
 * The envelope's errorCode reports a failure of the whole request; per-topic results carry
 * their own errorCode and errorMessage, as in Kafka.
 *
 * Validation (the trust boundary): decodeRequest never throws. Before msgpack decodes a frame,
 * a pre-scan (frame-scan.ts) checks it against its API's bounds on bytes and msgpack elements
 * (request-limits.ts; only Produce may fill the frame limit) and on nesting and string length,
 * without allocating. A frame whose correlation id can be read but which is otherwise invalid
 * (or over a bound) is answered with INVALID_REQUEST naming the field (`payload.topics[0].name:
 * ...`) or the limit, or UNSUPPORTED_VERSION; anything less readable means the connection is
 * closed. Clients validate responses the same way (parseResponse). Range and
 * naming rules that Kafka reports per topic (partitions < 1, illegal names) are left to the
 * broker, which answers with Kafka's codes; topic-name.ts has Kafka's naming rules.
 *
 * controller/ (its own entry) is the other wire: the controller API that brokers and tools
 * speak to the controller quorum, defined the same way and with the same error table.
 */
export { ApiKey, apiKeyName } from './api-keys.js';
export type { ApiKeyName } from './api-keys.js';
export type { ApiDefinition } from './api.js';
export {
  ALL_ERROR_CODES, ErrorCode, errorInfo, isKnownErrorCode,
} from './error-codes.js';
export type { ErrorCodeInfo, ErrorName } from './error-codes.js';
export * as limits from './limits.js';
export { DEFAULT_MAX_FRAME_BYTES, MAX_CORRELATION_ID } from './limits.js';
export type { RequestHeader } from './envelope.js';
export {
  decodeRequest, decodeResponse, encodeAnswer, encodeErrorResponse, encodeRequest,
  encodeResponse, parseRequest, parseResponse,
} from './codec.js';
export { NO_RESPONSE, respond, respondWithError } from './served-response.js';
export type {
  NoResponse, ServedAnswer, ServedError, ServedResponse,
} from './served-response.js';
export type {
  CodecOptions, DecodedRequest, DecodedResponse, ParsedPayload, RequestHeaderInput,
  ServedRequest,
} from './codec.js';
export { SERVED_APIS, servedApiByKey, servedApiVersions } from './registry.js';
export type { RequestOf, ResponseOf, ServedApiName } from './registry.js';
export {
  hasCollisionChars, INTERNAL_TOPICS, isInternalTopic, MAX_TOPIC_NAME_CHARS, topicNameError,
} from './topic-name.js';
export type { ApiVersion, ApiVersionsRequest, ApiVersionsResponse } from './apis/api-versions.js';
export type {
  BrokerMetadata, MetadataRequest, MetadataResponse, PartitionMetadata, TopicMetadata,
} from './apis/metadata.js';
export type {
  CreatableTopic, CreateTopicResult, CreateTopicsRequest, CreateTopicsResponse,
} from './apis/create-topics.js';
export type {
  DeleteTopicResult, DeleteTopicsRequest, DeleteTopicsResponse,
} from './apis/delete-topics.js';
export type {
  CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsResult,
} from './apis/create-partitions.js';
export type {
  DescribeClusterBroker, DescribeClusterRequest, DescribeClusterResponse,
} from './apis/describe-cluster.js';
export type {
  DescribeQuorumRequest, DescribeQuorumResponse, QuorumNode, ReplicaState,
} from './apis/describe-quorum.js';
export { ConfigResourceType, ConfigSource } from './apis/describe-configs.js';
export type {
  DescribeConfigsEntry, DescribeConfigsRequest, DescribeConfigsResponse, DescribeConfigsResult,
} from './apis/describe-configs.js';
export { Acks } from './apis/produce.js';
export type {
  LeaderIdAndEpoch, ProducePartitionData, ProducePartitionResponse, ProduceRequest,
  ProduceResponse,
} from './apis/produce.js';
export { IsolationLevel } from './apis/fetch.js';
export type {
  FetchPartition, FetchPartitionResponse, FetchRequest, FetchResponse,
} from './apis/fetch.js';
export { OffsetSpec } from './apis/list-offsets.js';
export type {
  ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse,
} from './apis/list-offsets.js';
