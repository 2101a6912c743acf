/**
 * Routes each decoded client request to what answers it (Kafka's KafkaApis): the metadata
 * image for Metadata/DescribeCluster/DescribeConfigs (Metadata may start the auto-creation of
 * unknown topics), the active controller for topic
 * changes and DescribeQuorum, the data plane for everything that touches partition logs.
 * Requests reach here validated by the codec; this file only chooses and encodes.
 */
import type { MetadataImage } from '../../metadata/index.js';
import {
  encodeErrorResponse, encodeResponse, ErrorCode, servedApiVersions, type ServedRequest,
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

/** Serves the requests that read or write partitions; absent until the data plane is up. */
export interface DataPlaneApis {
  serve(request: ServedRequest, connection: ClientConnection):
    Promise<Uint8Array | undefined> | Uint8Array | undefined;
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

export function routeRequest(
  context: RouterContext, request: ServedRequest, connection: ClientConnection,
): Promise<Uint8Array | undefined> | Uint8Array | undefined {
  const id = request.header.correlationId;
  switch (request.api) {
    case 'ApiVersions':
      return encodeResponse('ApiVersions', id,
        { errorCode: ErrorCode.NONE, apiKeys: servedApiVersions(), throttleTimeMs: 0 });
    case 'Metadata': {
      const response = metadataResponse(context.image(), context.identity, request.payload);
      const creator = context.autoCreateTopics;
      if (creator !== undefined && request.payload.allowAutoTopicCreation) {
        for (const topic of response.topics) {
          if (topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION &&
            creator.request(topic.name)) {
            topic.errorCode = ErrorCode.LEADER_NOT_AVAILABLE;
          }
        }
      }
      return encodeResponse('Metadata', id, response);
    }
    case 'DescribeCluster':
      return encodeResponse('DescribeCluster', id,
        describeClusterResponse(context.image(), context.identity));
    case 'DescribeConfigs':
      return encodeResponse('DescribeConfigs', id, describeConfigsResponse(context.image(),
        context.identity, context.topicDefaults, context.brokerConfigs, request.payload));
    case 'CreateTopics':
      return forwardCreateTopics(context.channel, request.payload)
        .then((response) => encodeResponse('CreateTopics', id, response));
    case 'DeleteTopics':
      return forwardDeleteTopics(context.channel, request.payload)
        .then((response) => encodeResponse('DeleteTopics', id, response));
    case 'CreatePartitions':
      return forwardCreatePartitions(context.channel, request.payload)
        .then((response) => encodeResponse('CreatePartitions', id, response));
    case 'DescribeQuorum':
      return forwardDescribeQuorum(context.channel, context.voters,
        context.controllerListenerName)
        .then((response) => encodeResponse('DescribeQuorum', id, response));
    default:
      if (context.dataPlane !== undefined) return context.dataPlane.serve(request, connection);
      return encodeErrorResponse(id, ErrorCode.UNSUPPORTED_VERSION,
        `${(request as ServedRequest).api} is not served by this broker yet`);
  }
}
