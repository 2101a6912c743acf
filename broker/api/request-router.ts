/**
 * Routes each decoded client request to what answers it (Kafka's KafkaApis): the metadata
 * image for Metadata/DescribeCluster/DescribeConfigs (Metadata may start the auto-creation of
 * unknown topics), the active controller for topic
 * changes and DescribeQuorum, the data plane for everything that touches partition logs.
 *
 * Requests reach here validated by a listener's decoder; answers leave as typed ServedAnswers
 * (protocol/served-response.ts) that the listener encodes. Nothing here sees a frame, so every
 * listener (WebSocket today, Kafka's binary protocol later) shares these handlers.
 */
import type { MetadataImage } from '../../metadata/index.js';
import {
  ErrorCode, respond, respondWithError, servedApiVersions, type MetadataRequest,
  type MetadataResponse, type ServedAnswer, type ServedRequest,
} from '../../protocol/index.js';
import type { ControllerChannel } from '../controller-channel.js';
import type { AutoTopicCreator } from './auto-create-topics.js';
import type { ClientConnection } from './client-listener.js';
import {
  forwardCreatePartitions, forwardCreateTopics, forwardDeleteTopics, forwardDescribeQuorum,
  type VoterEndpoint,
} from './forwarded-requests.js';
import {
  describeClusterResponse, describeConfigsResponse, metadataResponse, type BrokerIdentity,
} from './image-responses.js';

/** A handler's answer, now or once its work (a forward, a replication wait) is done. */
export type HandlerResult = ServedAnswer | Promise<ServedAnswer>;

/** Serves the requests that read or write partitions; absent until the data plane is up. */
export interface DataPlaneApis {
  serve(request: ServedRequest, connection: ClientConnection): HandlerResult;
}

export interface RouterContext {
  readonly identity: BrokerIdentity;
  readonly image: () => MetadataImage;
  readonly channel: ControllerChannel;
  readonly voters: readonly VoterEndpoint[];
  readonly controllerListenerName: string;
  readonly topicDefaults: ReadonlyMap<string, string>;
  readonly brokerConfigs: ReadonlyMap<string, string>;
  readonly dataPlane?: DataPlaneApis;
  /** Present when auto.create.topics.enable is true. */
  readonly autoCreateTopics?: AutoTopicCreator;
}

/** The one way in for every listener: decoded request in, typed answer out. */
export function routeRequest(
  context: RouterContext, request: ServedRequest, connection: ClientConnection,
): HandlerResult {
  // The authorizer step belongs here, and only here: after a listener decoded the request and
  // before any handler runs, once for every API of every listener (Kafka's KafkaApis calls
  // authHelper.authorize inside each handler; one place keeps a new API from skipping it).
  // It will answer a refused request with respondWithError(request, *_AUTHORIZATION_FAILED).
  return handle(context, request, connection);
}

function handle(
  context: RouterContext, request: ServedRequest, connection: ClientConnection,
): HandlerResult {
  switch (request.api) {
    case 'ApiVersions':
      return respond(request,
        { errorCode: ErrorCode.NONE, apiKeys: servedApiVersions(), throttleTimeMs: 0 });
    case 'Metadata':
      return respond(request, metadataWithAutoCreation(context, request.payload));
    case 'DescribeCluster':
      return respond(request, describeClusterResponse(context.image(), context.identity));
    case 'DescribeConfigs':
      return respond(request, describeConfigsResponse(context.image(), context.identity,
        context.topicDefaults, context.brokerConfigs, request.payload));
    case 'CreateTopics':
      return forwardCreateTopics(context.channel, request.payload)
        .then((response) => respond(request, response));
    case 'DeleteTopics':
      return forwardDeleteTopics(context.channel, request.payload)
        .then((response) => respond(request, response));
    case 'CreatePartitions':
      return forwardCreatePartitions(context.channel, request.payload)
        .then((response) => respond(request, response));
    case 'DescribeQuorum':
      return forwardDescribeQuorum(context.channel, context.voters,
        context.controllerListenerName)
        .then((response) => respond(request, response));
    default:
      if (context.dataPlane !== undefined) return context.dataPlane.serve(request, connection);
      return respondWithError(request, ErrorCode.UNSUPPORTED_VERSION,
        `${request.api} is not served by this broker yet`);
  }
}

/** Metadata, starting the creation of the unknown topics the request allows to create. */
function metadataWithAutoCreation(
  context: RouterContext, request: MetadataRequest,
): MetadataResponse {
  const response = metadataResponse(context.image(), context.identity, request);
  const creator = context.autoCreateTopics;
  if (creator !== undefined && request.allowAutoTopicCreation) {
    for (const topic of response.topics) {
      if (topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION &&
        creator.request(topic.name)) {
        topic.errorCode = ErrorCode.LEADER_NOT_AVAILABLE;
      }
    }
  }
  return response;
}
