/**
 * What the request handlers (produce.ts, fetch.ts, list-offsets.ts) share with the replica
 * manager, and the leader lookup every one of them starts with: the partition must be known to
 * the metadata image, led by this broker, and asked for in the current leader epoch (KIP-320).
 */
import type { MetadataImage } from '../../metadata/index.js';
import { ErrorCode, type LeaderIdAndEpoch } from '../../protocol/index.js';
import type { LogStore } from './log-store.js';
import { partitionKey, Role, type Partition } from './partition.js';
import type { DelayedOperation, Purgatory } from './purgatory.js';
import type { TopicSettingsReader } from './topic-settings.js';

export interface ReplicaContext {
  readonly brokerId: number;
  readonly image: () => MetadataImage;
  readonly partitions: ReadonlyMap<string, Partition>;
  readonly settings: TopicSettingsReader;
  readonly logs: LogStore;
  readonly produces: Purgatory<DelayedOperation>;
  readonly fetches: Purgatory<DelayedOperation>;
  readonly nowMs: () => number;
  /** The leader appended to `p`: advance the high watermark if it can, wake parked requests. */
  afterLeaderAppend(p: Partition): void;
  /** Follower `replicaId` fetched `p` at `fetchOffset` (its log end). */
  afterFollowerFetch(p: Partition, replicaId: number, fetchOffset: number, brokerEpoch: number):
    void;
}

export type LeaderLookup =
  | { readonly ok: true; readonly partition: Partition }
  | { readonly ok: false; readonly errorCode: number; readonly currentLeader?: LeaderIdAndEpoch };

/** Kafka's getPartitionOrError + checkCurrentLeaderEpoch, for requests only a leader serves. */
export function lookupLeader(
  context: ReplicaContext, topicName: string, partitionId: number, currentLeaderEpoch: number,
): LeaderLookup {
  const topic = context.image().topics.byName.get(topicName);
  const registration = topic?.partitions[partitionId];
  if (topic === undefined || registration === undefined) {
    return { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  }
  const p = context.partitions.get(partitionKey(topicName, partitionId));
  if (p === undefined || p.role !== Role.leader || p.topicId !== topic.topicId) {
    const currentLeader = registration.leader >= 0
      ? { leaderId: registration.leader, leaderEpoch: registration.leaderEpoch } : undefined;
    return currentLeader === undefined
      ? { ok: false, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }
      : { ok: false, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, currentLeader };
  }
  if (currentLeaderEpoch >= 0 && currentLeaderEpoch < p.leaderEpoch) {
    return { ok: false, errorCode: ErrorCode.FENCED_LEADER_EPOCH,
      currentLeader: { leaderId: context.brokerId, leaderEpoch: p.leaderEpoch } };
  }
  if (currentLeaderEpoch > p.leaderEpoch) {
    return { ok: false, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
  }
  return { ok: true, partition: p };
}
