/**
 * Answers a broker gives from its own metadata image, without asking the controller (Kafka's
 * KRaftMetadataCache): Metadata, DescribeCluster and DescribeConfigs. The image is the
 * committed metadata log as this broker has applied it, so answers may lag the controller by
 * the broker's fetch delay, as in Kafka.
 *
 * - Brokers in Metadata are the unfenced ones, at the endpoint of the listener the request came
 *   in on; DescribeCluster lists every registered broker with its fenced flag.
 * - `controllerId` is this broker: in KRaft clients never dial controllers; brokers forward.
 * - Offline replicas are those whose broker is not registered or is fenced.
 */
import {
  configResourceKey, ConfigResourceType as RecordResourceType, type BrokerRegistration,
  type MetadataImage, type TopicImage,
} from '../../metadata/index.js';
import { ConfigResourceType, ConfigSource } from '../../protocol/apis/describe-configs.js';
import type {
  DescribeClusterResponse, DescribeConfigsEntry, DescribeConfigsRequest, DescribeConfigsResult,
  MetadataRequest, MetadataResponse, PartitionMetadata, TopicMetadata,
} from '../../protocol/index.js';
import { ErrorCode, isInternalTopic } from '../../protocol/index.js';
import { ZERO_UUID } from '../../lib/uuid.js';

export interface BrokerIdentity {
  readonly brokerId: number;
  readonly clusterId: string;
  /** The listener clients reach this broker on (its endpoint is what Metadata shows). */
  readonly listenerName: string;
}

function endpointOf(broker: BrokerRegistration, listenerName: string) {
  return broker.endPoints.find((e) => e.name === listenerName) ?? broker.endPoints[0];
}

function isOffline(image: MetadataImage, brokerId: number): boolean {
  const broker = image.cluster.brokers.get(brokerId);
  return broker === undefined || broker.fenced;
}

function partitionMetadata(image: MetadataImage, topic: TopicImage): PartitionMetadata[] {
  return topic.partitions.map((p, partitionIndex) => ({
    errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
    partitionIndex,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicas: [...p.replicas],
    isr: [...p.isr],
    offlineReplicas: p.replicas.filter((r) => isOffline(image, r)),
    eligibleLeaderReplicas: [],
    lastKnownElr: [],
  }));
}

export function topicMetadata(image: MetadataImage, name: string): TopicMetadata {
  const topic = image.topics.byName.get(name);
  if (topic === undefined) {
    return {
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: ZERO_UUID,
      isInternal: false, partitions: [],
    };
  }
  return {
    errorCode: ErrorCode.NONE, name, topicId: topic.topicId, isInternal: isInternalTopic(name),
    partitions: partitionMetadata(image, topic),
  };
}

export function metadataResponse(
  image: MetadataImage, identity: BrokerIdentity, request: MetadataRequest,
): MetadataResponse {
  const brokers: MetadataResponse['brokers'] = [];
  for (const [, broker] of image.cluster.brokers) {
    if (broker.fenced) continue;
    const endpoint = endpointOf(broker, identity.listenerName);
    if (endpoint === undefined) continue;
    brokers.push({ nodeId: broker.brokerId, host: endpoint.host, port: endpoint.port,
      rack: broker.rack });
  }
  brokers.sort((a, b) => a.nodeId - b.nodeId);
  const names = request.topics ?? [...image.topics.byName].map(([name]) => name).sort();
  return {
    throttleTimeMs: 0,
    brokers,
    clusterId: identity.clusterId,
    controllerId: identity.brokerId,
    topics: names.map((name) => topicMetadata(image, name)),
  };
}

export function describeClusterResponse(
  image: MetadataImage, identity: BrokerIdentity,
): DescribeClusterResponse {
  const brokers: DescribeClusterResponse['brokers'] = [];
  for (const [, broker] of image.cluster.brokers) {
    const endpoint = endpointOf(broker, identity.listenerName);
    if (endpoint === undefined) continue;
    brokers.push({ nodeId: broker.brokerId, host: endpoint.host, port: endpoint.port,
      rack: broker.rack, isFenced: broker.fenced });
  }
  brokers.sort((a, b) => a.nodeId - b.nodeId);
  return {
    throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null,
    clusterId: identity.clusterId, controllerId: identity.brokerId, brokers,
  };
}

function entry(name: string, value: string, configSource: number): DescribeConfigsEntry {
  return { name, value, readOnly: false, configSource, isSensitive: false, synonyms: [] };
}

export function describeConfigsResponse(
  image: MetadataImage, identity: BrokerIdentity, topicDefaults: ReadonlyMap<string, string>,
  brokerConfigs: ReadonlyMap<string, string>, request: DescribeConfigsRequest,
) {
  const results = request.resources.map((resource): DescribeConfigsResult => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    let entries: DescribeConfigsEntry[];
    if (resource.resourceType === ConfigResourceType.TOPIC) {
      if (!image.topics.byName.has(resource.resourceName)) {
        return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `Topic '${resource.resourceName}' does not exist.`, configs: [] };
      }
      const overrides = image.configs.resources.get(
        configResourceKey(RecordResourceType.topic, resource.resourceName)) ?? new Map();
      entries = [...topicDefaults].map(([name, value]) => {
        const override = overrides.get(name);
        return override === undefined ? entry(name, value, ConfigSource.DEFAULT_CONFIG)
          : entry(name, override, ConfigSource.DYNAMIC_TOPIC_CONFIG);
      });
    } else if (resource.resourceType === ConfigResourceType.BROKER) {
      if (resource.resourceName !== '' && resource.resourceName !== String(identity.brokerId)) {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Unexpected broker id, expected ${identity.brokerId} or empty string, ` +
            `but received ${resource.resourceName}`, configs: [] };
      }
      entries = [...brokerConfigs].map(([name, value]) =>
        entry(name, value, ConfigSource.STATIC_BROKER_CONFIG));
    } else {
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Unsupported resource type ${resource.resourceType}`, configs: [] };
    }
    const keys = resource.configurationKeys;
    const configs = keys === null ? entries : entries.filter((e) => keys.includes(e.name));
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
  });
  return { throttleTimeMs: 0, results };
}
