/**
 * CreatePartitions (Kafka's ReplicationControlManager.createPartitions): grows a topic to a
 * total partition count. New partitions continue the placement of the existing ones (the
 * round-robin restarts where partition 0's first replica sits, as Kafka's createPartitions
 * does) unless the request gives explicit assignments. One entry for the whole request.
 */
import type { Prng } from '../../lib/prng.js';
import type { MetadataImage, TopicImage } from '../image/image-types.js';
import type { MetadataRecord } from '../records/record-types.js';
import { manualAssignmentError, newPartitionRecord } from './assignments.js';
import { usableBrokerIds } from './brokers.js';
import type { ControllerConfig } from './controller-config.js';
import { apiError, failed, ok, type ApiError, type ControllerResult } from './errors.js';
import { placeReplicas } from './replica-placement.js';

export interface CreatePartitionsTopic {
  readonly name: string;
  /** The total number of partitions wanted. */
  readonly count: number;
  /** Replicas of each new partition, in partition order. */
  readonly assignments?: readonly (readonly number[])[];
}

export type CreatePartitionsResult =
  | { readonly name: string; readonly ok: true }
  | { readonly name: string; readonly ok: false; readonly error: ApiError };

export function createPartitions(
  image: MetadataImage, config: ControllerConfig, prng: Prng,
  topics: readonly CreatePartitionsTopic[], validateOnly: boolean,
): ControllerResult<readonly CreatePartitionsResult[]> {
  let added = 0;
  for (const topic of topics) {
    const current = image.topics.byName.get(topic.name)?.partitions.length ?? 0;
    added += Math.max(0, topic.count - current);
  }
  if (added > config.maxPartitionsPerRequest) {
    return failed('POLICY_VIOLATION', 'Excessively large number of partitions per request.');
  }
  const seen = new Set<string>();
  const records: MetadataRecord[] = [];
  const results: CreatePartitionsResult[] = [];
  for (const topic of topics) {
    const { name } = topic;
    if (seen.has(name)) {
      const error = apiError('INVALID_REQUEST', 'Duplicate topic name.');
      results.push({ name, ok: false, error });
      continue;
    }
    seen.add(name);
    const grown = growTopic(image, prng, topic);
    if ('error' in grown) {
      results.push({ name, ok: false, error: grown.error });
    } else {
      records.push(...grown.records);
      results.push({ name, ok: true });
    }
  }
  return ok(validateOnly ? [] : records, results);
}

type Grown = { readonly records: MetadataRecord[] } | { readonly error: ApiError };

function growTopic(image: MetadataImage, prng: Prng, request: CreatePartitionsTopic): Grown {
  const topic = image.topics.byName.get(request.name);
  if (topic === undefined) {
    return {
      error: apiError('UNKNOWN_TOPIC_OR_PARTITION',
        'This server does not host this topic-partition.'),
    };
  }
  const current = topic.partitions.length;
  if (request.count === current) {
    return { error: apiError('INVALID_PARTITIONS', `Topic already has ${current} partition(s).`) };
  }
  if (request.count < current) {
    return {
      error: apiError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which ` +
        `is higher than the requested ${request.count}.`),
    };
  }
  const additional = request.count - current;
  const lists = newReplicaLists(image, prng, topic, request, additional);
  if ('error' in lists) return lists;
  const records = lists.lists.map((replicas, i) =>
    newPartitionRecord(image, topic.topicId, current + i, replicas));
  return { records };
}

type Lists = { readonly lists: readonly (readonly number[])[] } | { readonly error: ApiError };

function newReplicaLists(
  image: MetadataImage, prng: Prng, topic: TopicImage, request: CreatePartitionsTopic,
  additional: number,
): Lists {
  const replicationFactor = topic.partitions[0]!.replicas.length;
  const current = topic.partitions.length;
  if (request.assignments !== undefined) {
    if (request.assignments.length !== additional) {
      return {
        error: apiError('INVALID_REPLICA_ASSIGNMENT', `Attempted to add ${additional} additional ` +
          `partition(s), but only ${request.assignments.length} assignment(s) were specified.`),
      };
    }
    for (let i = 0; i < additional; i++) {
      const replicas = request.assignments[i]!;
      const error = manualAssignmentError(image, current + i, replicas, replicationFactor);
      if (error !== undefined) return { error };
    }
    return { lists: request.assignments };
  }
  const usable = usableBrokerIds(image);
  const firstLeader = topic.partitions[0]!.replicas[0]!;
  const startIndex = usable.indexOf(firstLeader);
  const start = startIndex < 0 ? undefined : { startIndex, startPartitionId: current };
  const placed = placeReplicas(usable, additional, replicationFactor, prng, start);
  if (!placed.ok) {
    return {
      error: apiError('INVALID_REPLICATION_FACTOR',
        `Unable to replicate the partition ${replicationFactor} time(s): ${placed.message}`),
    };
  }
  return { lists: placed.assignments };
}
