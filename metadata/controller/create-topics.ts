/**
 * CreateTopics (Kafka's ReplicationControlManager.createTopics). Each topic succeeds or fails
 * on its own; the records of all the successful ones (TopicRecord, then its ConfigRecords,
 * then its PartitionRecords, as Kafka orders them) form one entry, so they commit together.
 * Checks run against the controller's view, which includes its own uncommitted writes, and
 * against the topics created earlier in the same request.
 */
import type { Prng } from '../../lib/prng.js';
import { collisionName, type MetadataImage } from '../image/image-types.js';
import {
  ConfigResourceType, type ConfigRecord, type MetadataRecord,
} from '../records/record-types.js';
import { freshTopicId, manualAssignmentError, newPartitionRecord } from './assignments.js';
import { usableBrokerIds } from './brokers.js';
import type { ControllerConfig } from './controller-config.js';
import { apiError, failed, ok, type ApiError, type ControllerResult } from './errors.js';
import { placeReplicas } from './replica-placement.js';
import { topicConfigsError } from './topic-configs.js';
import { topicNameError } from './topic-names.js';

export interface CreatableTopic {
  readonly name: string;
  /** -1: num.partitions. Must be -1 when assignments are given. */
  readonly numPartitions: number;
  /** -1: default.replication.factor. Must be -1 when assignments are given. */
  readonly replicationFactor: number;
  /** Replicas of partition i at index i (kafka-topics --replica-assignment). */
  readonly assignments?: readonly (readonly number[])[];
  readonly configs?: Readonly<Record<string, string>>;
}

export type CreateTopicResult =
  | {
      readonly name: string;
      readonly ok: true;
      readonly topicId: string;
      readonly numPartitions: number;
      readonly replicationFactor: number;
    }
  | { readonly name: string; readonly ok: false; readonly error: ApiError };

interface RequestState {
  readonly image: MetadataImage;
  readonly config: ControllerConfig;
  readonly prng: Prng;
  readonly usable: readonly number[];
  /** Names and ids created earlier in this request. */
  readonly names: Set<string>;
  readonly ids: Set<string>;
}

export function createTopics(
  image: MetadataImage, config: ControllerConfig, prng: Prng,
  topics: readonly CreatableTopic[], validateOnly: boolean,
): ControllerResult<readonly CreateTopicResult[]> {
  if (requestedPartitions(topics, config) > config.maxPartitionsPerRequest) {
    return failed('POLICY_VIOLATION', 'Excessively large number of partitions per request.');
  }
  const counts = new Map<string, number>();
  for (const topic of topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1);
  const state: RequestState = {
    image, config, prng, usable: usableBrokerIds(image), names: new Set(), ids: new Set(),
  };
  const records: MetadataRecord[] = [];
  const results: CreateTopicResult[] = [];
  for (const topic of topics) {
    const { name } = topic;
    if (counts.get(name)! > 1) {
      const error = apiError('INVALID_REQUEST', 'Duplicate topic name.');
      results.push({ name, ok: false, error });
      continue;
    }
    const created = createTopic(state, topic);
    if ('error' in created) {
      results.push({ name, ok: false, error: created.error });
      continue;
    }
    records.push(...created.records);
    const { topicId, numPartitions, replicationFactor } = created;
    results.push({ name, ok: true, topicId, numPartitions, replicationFactor });
  }
  return ok(validateOnly ? [] : records, results);
}

/** Kafka's validateTotalNumberOfPartitions. */
function requestedPartitions(topics: readonly CreatableTopic[], config: ControllerConfig): number {
  let total = 0;
  for (const topic of topics) {
    if (topic.assignments !== undefined) total += topic.assignments.length;
    else if (topic.numPartitions === -1) total += config.defaultNumPartitions;
    else if (topic.numPartitions > 0) total += topic.numPartitions;
  }
  return total;
}

type Created =
  | {
      readonly records: MetadataRecord[];
      readonly topicId: string;
      readonly numPartitions: number;
      readonly replicationFactor: number;
    }
  | { readonly error: ApiError };

function createTopic(state: RequestState, topic: CreatableTopic): Created {
  const { image } = state;
  const { name } = topic;
  const nameError = topicNameError(name);
  if (nameError !== undefined) return { error: apiError('INVALID_TOPIC_EXCEPTION', nameError) };
  if (image.topics.byName.has(name) || state.names.has(name)) {
    return { error: apiError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`) };
  }
  const colliding = collidingNames(state, name);
  if (colliding.length > 0) {
    return {
      error: apiError('INVALID_TOPIC_EXCEPTION',
        `Topic '${name}' collides with existing topics: ${colliding.join(', ')}`),
    };
  }
  const configError = topicConfigsError(topic.configs ?? {});
  if (configError !== undefined) return { error: apiError('INVALID_CONFIG', configError) };
  const placement = replicaLists(state, topic);
  if ('error' in placement) return placement;
  const topicId = freshTopicId(image, state.prng, state.ids);
  state.names.add(name);
  state.ids.add(topicId);
  const records: MetadataRecord[] = [{ type: 'TopicRecord', name, topicId }];
  records.push(...configRecords(name, topic.configs ?? {}));
  placement.lists.forEach((replicas, partitionId) => {
    records.push(newPartitionRecord(image, topicId, partitionId, replicas));
  });
  const replicationFactor = placement.lists[0]!.length;
  return { records, topicId, numPartitions: placement.lists.length, replicationFactor };
}

function collidingNames(state: RequestState, name: string): string[] {
  const key = collisionName(name);
  if (key === undefined) return [];
  const existing = state.image.topics.byCollisionName.get(key) ?? [];
  const inRequest = [...state.names].filter((other) => collisionName(other) === key);
  return [...existing, ...inRequest].filter((other) => other !== name);
}

type ReplicaLists =
  | { readonly lists: readonly (readonly number[])[] }
  | { readonly error: ApiError };

function replicaLists(state: RequestState, topic: CreatableTopic): ReplicaLists {
  if (topic.assignments !== undefined) return manualLists(state.image, topic);
  if (topic.replicationFactor < -1 || topic.replicationFactor === 0) {
    return {
      error: apiError('INVALID_REPLICATION_FACTOR',
        'Replication factor must be larger than 0, or -1 to use the default value.'),
    };
  }
  if (topic.numPartitions < -1 || topic.numPartitions === 0) {
    return {
      error: apiError('INVALID_PARTITIONS',
        'Number of partitions was set to an invalid non-positive value.'),
    };
  }
  const { config } = state;
  const numPartitions = topic.numPartitions === -1 ?
    config.defaultNumPartitions : topic.numPartitions;
  const replicationFactor = topic.replicationFactor === -1 ?
    config.defaultReplicationFactor : topic.replicationFactor;
  const placed = placeReplicas(state.usable, numPartitions, replicationFactor, state.prng);
  if (!placed.ok) {
    return {
      error: apiError('INVALID_REPLICATION_FACTOR',
        `Unable to replicate the partition ${replicationFactor} time(s): ${placed.message}`),
    };
  }
  return { lists: placed.assignments };
}

function manualLists(image: MetadataImage, topic: CreatableTopic): ReplicaLists {
  const assignments = topic.assignments ?? [];
  if (topic.replicationFactor !== -1) {
    return {
      error: apiError('INVALID_REQUEST', 'A manual partition assignment was specified, but ' +
        'replication factor was not set to -1.'),
    };
  }
  if (topic.numPartitions !== -1) {
    return {
      error: apiError('INVALID_REQUEST', 'A manual partition assignment was specified, but ' +
        'numPartitions was not set to -1.'),
    };
  }
  if (assignments.length === 0) {
    return { error: apiError('INVALID_PARTITIONS', 'Number of partitions was set to an ' +
      'invalid non-positive value.') };
  }
  let replicationFactor: number | undefined;
  for (let partitionId = 0; partitionId < assignments.length; partitionId++) {
    const replicas = assignments[partitionId]!;
    const error = manualAssignmentError(image, partitionId, replicas, replicationFactor);
    if (error !== undefined) return { error };
    replicationFactor = replicas.length;
  }
  return { lists: assignments };
}

function configRecords(
  topicName: string, configs: Readonly<Record<string, string>>,
): ConfigRecord[] {
  return Object.keys(configs).sort().map((name) => ({
    type: 'ConfigRecord',
    resourceType: ConfigResourceType.topic,
    resourceName: topicName,
    name,
    value: configs[name]!,
  }));
}

