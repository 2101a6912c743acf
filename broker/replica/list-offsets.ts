/**
 * ListOffsets on the leader (Kafka's Partition.fetchOffsetForTimestamp): EARLIEST is the log
 * start; LATEST is the high watermark for consumers (raftka has no transactions, so both
 * isolation levels read the same) and the log end for a replica; a timestamp finds the first
 * batch whose max timestamp is at or after it, below what the reader may see. A consumer asking
 * a new leader whose high watermark has not reached the start of its epoch gets
 * OFFSET_NOT_AVAILABLE (KIP-207), so offsets it is told never go back.
 */
import {
  ErrorCode, OffsetSpec, type ListOffsetsPartitionResponse, type ListOffsetsRequest,
  type ListOffsetsResponse,
} from '../../protocol/index.js';
import { lookupLeader, type ReplicaContext } from './replica-context.js';

export async function handleListOffsets(
  context: ReplicaContext, request: ListOffsetsRequest,
): Promise<ListOffsetsResponse> {
  const opening: Promise<unknown>[] = [];
  for (const topic of request.topics) {
    for (const asked of topic.partitions) {
      const lookup = lookupLeader(context, topic.name, asked.partitionIndex, -1);
      if (lookup.ok && lookup.partition.log === undefined) {
        opening.push(context.logs.open(lookup.partition));
      }
    }
  }
  if (opening.length > 0) await Promise.all(opening);
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((asked) => listPartition(context, request.replicaId,
        topic.name, asked.partitionIndex, asked.currentLeaderEpoch, asked.timestamp)),
    })),
  };
}

function listPartition(
  context: ReplicaContext, replicaId: number, topicName: string, partitionIndex: number,
  currentLeaderEpoch: number, timestamp: number,
): ListOffsetsPartitionResponse {
  const failed = (errorCode: number): ListOffsetsPartitionResponse =>
    ({ partitionIndex, errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 });
  const lookup = lookupLeader(context, topicName, partitionIndex, currentLeaderEpoch);
  if (!lookup.ok) return failed(lookup.errorCode);
  const p = lookup.partition;
  const log = p.log;
  if (log === undefined) return failed(ErrorCode.KAFKA_STORAGE_ERROR);
  const isConsumer = replicaId < 0;
  const lastFetchable = isConsumer ? p.highWatermark : log.logEndOffset;
  if (isConsumer && p.highWatermark < p.leaderEpochStartOffset) {
    return failed(ErrorCode.OFFSET_NOT_AVAILABLE);
  }
  const found = (offset: number, at: number): ListOffsetsPartitionResponse =>
    ({ partitionIndex, errorCode: ErrorCode.NONE, timestamp: at, offset,
      leaderEpoch: p.leaderEpoch });
  if (timestamp === OffsetSpec.EARLIEST) return found(log.logStartOffset, -1);
  if (timestamp === OffsetSpec.LATEST) return found(lastFetchable, -1);
  const hit = log.offsetForTimestamp(timestamp);
  if (hit === undefined || hit.offset >= lastFetchable) return found(-1, -1);
  return found(hit.offset, hit.timestampMs);
}
