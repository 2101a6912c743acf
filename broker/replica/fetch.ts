/**
 * Fetch on the leader (Kafka's ReplicaManager.fetchMessages + Partition.fetchRecords +
 * DelayedFetch), for consumers (replicaId -1: up to the high watermark) and followers
 * (replicaId = their broker id: up to the log end).
 *
 * Per partition, in Kafka's order: leader lookup and currentLeaderEpoch (KIP-320); for a
 * follower, membership in the replicas and a current broker epoch (KIP-903); divergence from
 * lastFetchedEpoch (KIP-320/KIP-595: answer divergingEpoch and no records, so the reader
 * truncates); the range [logStartOffset, logEndOffset]; then the read. A follower's fetch
 * first records its log end on the leader, which may advance the high watermark (and so
 * complete acks=-1 produces) and expand the ISR.
 *
 * Sizes (KIP-74): partitionMaxBytes and maxBytes are soft for the first batch of the first
 * partition with data only; later partitions get whole batches within what is left. Records
 * are the log's bytes, never re-encoded.
 *
 * The broker's own reads (read(): the coordinators loading their internal topics) go through
 * the same per-partition read, as a consumer or up to the log end, without a long poll.
 *
 * Long poll: with fewer than minBytes ready and no error, the fetch parks until appends or a
 * high watermark advance make enough bytes available, a partition changes role or epoch, or
 * maxWaitMs passes; then it reads again.
 */
import { check } from '../../lib/check.js';
import {
  ErrorCode, type FetchPartition, type FetchPartitionResponse, type FetchRequest,
  type FetchResponse,
} from '../../protocol/index.js';
import { isOffsetOutOfRange } from '../log/index.js';
import { MAX_PARTITIONS_PER_FETCH } from './limits.js';
import type { Partition } from './partition.js';
import type { DelayedOperation } from './purgatory.js';
import { lookupLeader, type ReplicaContext } from './replica-context.js';

/**
 * Who reads: a consumer (replicaId -1, up to the high watermark), a follower (its broker id,
 * up to the log end, and its fetch is recorded), or the broker itself. A FetchRequest is one.
 */
interface Reader {
  readonly replicaId: number;
  readonly replicaEpoch: number;
  /**
   * The broker's own read of the whole log, up to the log end without being a follower (a
   * coordinator loading its partition: Kafka's FetchIsolation.LOG_END).
   */
  readonly toLogEnd?: boolean;
}

const BROKER_READER: Reader = { replicaId: -1, replicaEpoch: -1 };
const BROKER_LOG_END_READER: Reader = { replicaId: -1, replicaEpoch: -1, toLogEnd: true };

interface ReadResult {
  readonly response: FetchResponse;
  readonly bytes: number;
  /** An error or a divergence: the reader must hear about it now. */
  readonly urgent: boolean;
}

const EMPTY = new Uint8Array(0);

function errorPartition(
  partitionIndex: number, errorCode: number, extra: Partial<FetchPartitionResponse> = {},
): FetchPartitionResponse {
  return { partitionIndex, errorCode, highWatermark: -1, lastStableOffset: -1,
    logStartOffset: -1, records: null, ...extra };
}

/**
 * The epoch end the leader answers a reader whose last fetched epoch is `epoch`. A leader that
 * has not appended in its own epoch yet has no cache entry for it; Kafka assigns one at the
 * leader change, so an epoch between the cached ones and the leader's ends at the log end here.
 */
export function leaderEpochEnd(p: Partition, epoch: number): { epoch: number; endOffset: number } {
  const log = p.log!;
  const latest = log.latestEpoch();
  if (latest < p.leaderEpoch && epoch > latest && epoch < p.leaderEpoch) {
    return { epoch: latest < 0 ? epoch : latest, endOffset: log.logEndOffset };
  }
  return log.endOffsetForEpoch(epoch);
}

export class FetchHandler {
  readonly #context: ReplicaContext;

  constructor(context: ReplicaContext) {
    this.#context = context;
  }

  async handle(request: FetchRequest): Promise<FetchResponse> {
    let count = 0;
    for (const topic of request.topics) count += topic.partitions.length;
    if (count > MAX_PARTITIONS_PER_FETCH) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
    }
    await this.#openLogs(request);
    const first = this.#readAll(request, true);
    if (request.maxWaitMs <= 0 || count === 0 || first.urgent ||
      first.bytes >= request.minBytes) {
      return first.response;
    }
    return new Promise((resolve) => {
      const operation = new DelayedFetch(this, request, resolve);
      if (!this.#context.fetches.park(operation, request.maxWaitMs)) resolve(first.response);
    });
  }

  /**
   * The broker's own read of a partition it leads (Kafka's ReplicaManager.readFromLog for the
   * coordinators): whole batches from `fetchOffset`, at least one even when larger than
   * `maxBytes` (KIP-74), up to the high watermark or, with `toLogEnd`, the log end. The same
   * checks and read as a Fetch partition, without a long poll.
   */
  async read(
    topicName: string, partitionIndex: number, fetchOffset: number, maxBytes: number,
    toLogEnd: boolean,
  ): Promise<FetchPartitionResponse> {
    await this.#openLog(topicName, partitionIndex);
    const fetch: FetchPartition = {
      partitionIndex, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1,
      logStartOffset: -1, partitionMaxBytes: maxBytes,
    };
    return this.#readPartition(toLogEnd ? BROKER_LOG_END_READER : BROKER_READER, topicName,
      fetch, false, true, maxBytes);
  }

  async #openLogs(request: FetchRequest): Promise<void> {
    const opening: Promise<unknown>[] = [];
    for (const topic of request.topics) {
      for (const fetch of topic.partitions) {
        const open = this.#openLog(topic.name, fetch.partitionIndex);
        if (open !== undefined) opening.push(open);
      }
    }
    if (opening.length > 0) await Promise.all(opening);
  }

  /** Opens the log of a led partition that is not open yet; undefined when there is none. */
  #openLog(topicName: string, partitionIndex: number): Promise<unknown> | undefined {
    const lookup = lookupLeader(this.#context, topicName, partitionIndex, -1);
    if (!lookup.ok || lookup.partition.log !== undefined) return undefined;
    return this.#context.logs.open(lookup.partition);
  }

  /** Reads every partition again (a parked fetch completing); the fetch was recorded before. */
  readAll(request: FetchRequest): FetchResponse {
    return this.#readAll(request, false).response;
  }

  #readAll(request: FetchRequest, recordFetch: boolean): ReadResult {
    let remaining = request.maxBytes;
    let bytes = 0;
    let urgent = false;
    const topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((fetch) => {
        const response = this.#readPartition(request, topic.name, fetch, recordFetch,
          bytes === 0, remaining);
        const size = response.records?.length ?? 0;
        remaining = Math.max(0, remaining - size);
        bytes += size;
        if (response.errorCode !== ErrorCode.NONE || response.divergingEpoch !== undefined) {
          urgent = true;
        }
        return response;
      }),
    }));
    return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics }, bytes, urgent };
  }

  #readPartition(
    reader: Reader, topicName: string, fetch: FetchPartition, recordFetch: boolean,
    firstWithData: boolean, remaining: number,
  ): FetchPartitionResponse {
    const index = fetch.partitionIndex;
    const lookup = lookupLeader(this.#context, topicName, index, fetch.currentLeaderEpoch);
    if (!lookup.ok) {
      return errorPartition(index, lookup.errorCode,
        lookup.currentLeader === undefined ? {} : { currentLeader: lookup.currentLeader });
    }
    const p = lookup.partition;
    const log = p.log;
    if (log === undefined) return errorPartition(index, ErrorCode.KAFKA_STORAGE_ERROR);
    const isFollower = reader.replicaId >= 0;
    if (isFollower && !this.#followerMayFetch(p, reader)) {
      return errorPartition(index, ErrorCode.NOT_LEADER_OR_FOLLOWER);
    }
    const offsets = {
      highWatermark: p.highWatermark, lastStableOffset: p.highWatermark,
      logStartOffset: log.logStartOffset,
    };
    if (fetch.lastFetchedEpoch >= 0) {
      const end = leaderEpochEnd(p, fetch.lastFetchedEpoch);
      if (end.epoch < fetch.lastFetchedEpoch || end.endOffset < fetch.fetchOffset) {
        return { partitionIndex: index, errorCode: ErrorCode.NONE, ...offsets,
          divergingEpoch: { epoch: end.epoch, endOffset: end.endOffset }, records: EMPTY };
      }
    }
    if (fetch.fetchOffset < log.logStartOffset || fetch.fetchOffset > log.logEndOffset) {
      return errorPartition(index, ErrorCode.OFFSET_OUT_OF_RANGE, offsets);
    }
    if (isFollower && recordFetch) {
      this.#context.afterFollowerFetch(p, reader.replicaId, fetch.fetchOffset,
        reader.replicaEpoch);
      offsets.highWatermark = offsets.lastStableOffset = p.highWatermark;
    }
    const limit = Math.min(fetch.partitionMaxBytes, remaining);
    if (!firstWithData && limit <= 0) {
      return { partitionIndex: index, errorCode: ErrorCode.NONE, ...offsets, records: EMPTY };
    }
    const maxOffset = isFollower || reader.toLogEnd === true ? log.logEndOffset : p.highWatermark;
    const read = log.read(fetch.fetchOffset, limit, maxOffset);
    if (isOffsetOutOfRange(read)) return errorPartition(index, ErrorCode.OFFSET_OUT_OF_RANGE);
    const records = !firstWithData && read.bytes.length > limit ? EMPTY : read.bytes;
    return { partitionIndex: index, errorCode: ErrorCode.NONE, ...offsets, records };
  }

  /** A replica of the partition, with a broker epoch no older than the registered one. */
  #followerMayFetch(p: Partition, reader: Reader): boolean {
    if (!p.replicas.includes(reader.replicaId) || reader.replicaId === this.#context.brokerId) {
      return false;
    }
    const registered = this.#context.image().cluster.brokers.get(reader.replicaId);
    return reader.replicaEpoch < 0 || registered === undefined ||
      reader.replicaEpoch >= registered.brokerEpoch;
  }

  /** Whether a parked fetch can answer now (Kafka's DelayedFetch.tryComplete). */
  ready(request: FetchRequest, seen: ReadonlyMap<string, SeenPartition>): boolean {
    let available = 0;
    const isFollower = request.replicaId >= 0;
    for (const topic of request.topics) {
      for (const fetch of topic.partitions) {
        const lookup = lookupLeader(this.#context, topic.name, fetch.partitionIndex,
          fetch.currentLeaderEpoch);
        if (!lookup.ok) return true;
        const p = lookup.partition;
        const before = seen.get(p.key);
        if (before === undefined || before.partition !== p ||
          before.leaderEpoch !== p.leaderEpoch || p.log === undefined) return true;
        const limit = isFollower ? p.log.logEndOffset : p.highWatermark;
        if (limit <= fetch.fetchOffset) continue;
        if (request.minBytes <= 1) return true;
        const read = p.log.read(fetch.fetchOffset, fetch.partitionMaxBytes, limit);
        if (isOffsetOutOfRange(read)) return true;
        available += read.bytes.length;
        if (available >= request.minBytes) return true;
      }
    }
    return false;
  }

  /** The partitions a parked fetch watches, as they were when it parked. */
  watched(request: FetchRequest): Map<string, SeenPartition> {
    const seen = new Map<string, SeenPartition>();
    for (const topic of request.topics) {
      for (const fetch of topic.partitions) {
        const lookup = lookupLeader(this.#context, topic.name, fetch.partitionIndex, -1);
        if (!lookup.ok) continue;
        const p = lookup.partition;
        seen.set(p.key, { partition: p, leaderEpoch: p.leaderEpoch });
      }
    }
    return seen;
  }
}

interface SeenPartition {
  readonly partition: Partition;
  readonly leaderEpoch: number;
}

class DelayedFetch implements DelayedOperation {
  readonly keys: readonly string[];
  readonly #seen: Map<string, SeenPartition>;
  /** Invariant: the fetch is answered once (the purgatory completes an operation once). */
  #answered = false;

  constructor(
    private readonly handler: FetchHandler,
    private readonly request: FetchRequest,
    private readonly resolve: (response: FetchResponse) => void,
  ) {
    this.#seen = handler.watched(request);
    this.keys = [...this.#seen.keys()];
  }

  tryComplete(): boolean {
    if (!this.handler.ready(this.request, this.#seen)) return false;
    this.forceComplete();
    return true;
  }

  forceComplete(): void {
    check(!this.#answered, 'a delayed fetch answered twice');
    this.#answered = true;
    this.resolve(this.handler.readAll(this.request));
  }
}

