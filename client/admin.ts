/**
 * The admin client (KafkaJS's `kafka.admin()`): topics, cluster and quorum descriptions.
 *
 * Every call runs under the client's retry policy. What is retried:
 * - failures of a whole request: a lost connection, a request timeout, a retriable error code
 *   in the response envelope. The next attempt may go to another broker.
 * - per-topic NOT_CONTROLLER (the controller moved while the broker forwarded), for the topics
 *   that got it only.
 * Other per-topic errors are answers and are not retried: UNKNOWN_TOPIC_OR_PARTITION from
 * DeleteTopics means there is no such topic, and a per-topic REQUEST_TIMED_OUT may hide a
 * change that was applied (Kafka's AdminClient does the same). As in every Kafka client, a
 * whole-request retry after a timeout can meet its own earlier effect: createTopics then
 * reports the topic as existing (false).
 */
import { ConfigSource } from '../protocol/apis/describe-configs.js';
import type { CreatableTopic } from '../protocol/apis/create-topics.js';
import type { DescribeConfigsResponse } from '../protocol/apis/describe-configs.js';
import type { DescribeQuorumResponse, ReplicaState } from '../protocol/apis/describe-quorum.js';
import type { TopicMetadata } from '../protocol/apis/metadata.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';
import type {
  ClusterDescription, CreatePartitionsOptions, CreateTopicsOptions, DeleteTopicsOptions,
  DescribeConfigsOptions, DescribeConfigsResult, QuorumInfo, QuorumReplicaState, TopicConfig,
  TopicMetadataInfo, TopicPartitionOffsets,
} from './admin-types.js';
import type { Cluster } from './cluster.js';
import {
  RaftkaAggregateError, RaftkaError, RaftkaProtocolError, RaftkaTopicError,
} from './errors.js';
import { withRetry } from './retry.js';
import type { RetryOptions } from './retry.js';

const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;
/** The client waits this much longer than the broker's timeoutMs, so the broker's own answer
 *  (REQUEST_TIMED_OUT with a message) arrives before the client gives up. */
const RESPONSE_MARGIN_MS = 1_000;
/** Poll interval while waiting for leaders after createTopics. */
const LEADER_POLL_MS = 50;
/** Per-topic codes retried for just those topics (see the file comment). */
const RETRIED_TOPIC_CODES: ReadonlySet<number> = new Set([ErrorCode.NOT_CONTROLLER]);
/** Retriable in Kafka's table, but for admin calls an authoritative answer. */
const ANSWER_CODES: ReadonlySet<number> =
  new Set([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_ID]);

export interface AdminConfig {
  /** Overrides the client's retry policy for this admin. */
  readonly retry?: Partial<RetryOptions>;
}

interface TopicResult {
  readonly name: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export class Admin {
  private readonly retry: RetryOptions;

  constructor(private readonly cluster: Cluster, config: AdminConfig = {}) {
    this.retry = { ...cluster.config.retry, ...config.retry };
  }

  /** Connects to a bootstrap broker and loads the broker list. Other calls connect lazily. */
  async connect(): Promise<void> {
    await this.retrying(() => this.cluster.refreshMetadata([]));
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect();
  }

  /** Every topic's name, in the broker's order. */
  async listTopics(): Promise<string[]> {
    const metadata = await this.retrying(() => this.cluster.refreshMetadata(null));
    return metadata.topics.filter((t) => t.errorCode === ErrorCode.NONE).map((t) => t.name);
  }

  /**
   * Creates topics. Resolves true when all were created, false when every failure was
   * TOPIC_ALREADY_EXISTS (KafkaJS); otherwise rejects with a RaftkaAggregateError holding one
   * RaftkaTopicError per failed topic.
   */
  async createTopics(options: CreateTopicsOptions): Promise<boolean> {
    const topics = checkTopicConfigs(options.topics);
    const timeout = options.timeout ?? DEFAULT_OPERATION_TIMEOUT_MS;
    const validateOnly = options.validateOnly ?? false;
    const pending = new Map(topics.map((topic) => [topic.topic, topic]));
    const errors: RaftkaTopicError[] = [];
    await this.retrying(async () => {
      const response = await this.cluster.request('CreateTopics', {
        topics: [...pending.values()].map(toCreatableTopic),
        timeoutMs: timeout,
        validateOnly,
      }, { timeoutMs: this.responseTimeout(timeout) });
      settle(response.topics, pending, errors);
    });
    const failed = new Set(errors.map((error) => error.topic));
    const created = topics.map((t) => t.topic).filter((name) => !failed.has(name));
    if (!validateOnly && (options.waitForLeaders ?? true) && created.length > 0) {
      await this.waitForLeaders(created, timeout);
    }
    if (errors.length === 0) return true;
    if (errors.every((error) => error.code === ErrorCode.TOPIC_ALREADY_EXISTS)) return false;
    throw new RaftkaAggregateError('Topic creation errors', errors);
  }

  /** Deletes topics by name; a failure rejects with its RaftkaTopicError (or an aggregate). */
  async deleteTopics(options: DeleteTopicsOptions): Promise<void> {
    const names = checkTopicNames(options.topics, 'topics');
    const timeout = options.timeout ?? DEFAULT_OPERATION_TIMEOUT_MS;
    const pending = new Map(names.map((name) => [name, name]));
    const errors: RaftkaTopicError[] = [];
    await this.retrying(async () => {
      const response = await this.cluster.request('DeleteTopics', {
        topics: [...pending.keys()].map((name) => ({ name, topicId: null })),
        timeoutMs: timeout,
      }, { timeoutMs: this.responseTimeout(timeout) });
      settle(response.responses.map((r) => ({ ...r, name: r.name ?? '' })), pending, errors);
    });
    throwTopicErrors('Topic deletion errors', errors);
  }

  /** Grows topics to `count` partitions; resolves true (KafkaJS). */
  async createPartitions(options: CreatePartitionsOptions): Promise<boolean> {
    const requests = options.topicPartitions;
    checkTopicNames(requests.map((r) => r.topic), 'topicPartitions');
    const timeout = options.timeout ?? DEFAULT_OPERATION_TIMEOUT_MS;
    const pending = new Map(requests.map((r) => [r.topic, r]));
    const errors: RaftkaTopicError[] = [];
    await this.retrying(async () => {
      const response = await this.cluster.request('CreatePartitions', {
        topics: [...pending.values()].map((r) => ({
          name: r.topic,
          count: r.count,
          assignments: r.assignments === undefined ? null
            : r.assignments.map((replicas) => ({ brokerIds: [...replicas] })),
        })),
        timeoutMs: timeout,
        validateOnly: options.validateOnly ?? false,
      }, { timeoutMs: this.responseTimeout(timeout) });
      settle(response.results, pending, errors);
    });
    throwTopicErrors('Partition creation errors', errors);
    return true;
  }

  /**
   * Metadata of the given topics (all when omitted). A requested topic that does not exist
   * rejects with UNKNOWN_TOPIC_OR_PARTITION.
   */
  async fetchTopicMetadata(options: { topics?: readonly string[] } = {}):
    Promise<{ topics: TopicMetadataInfo[] }> {
    const requested = options.topics === undefined ? null
      : checkTopicNames(options.topics, 'topics');
    const metadata = await this.retrying(async () => {
      const response = await this.cluster.refreshMetadata(requested);
      for (const topic of response.topics) {
        if (requested === null || topic.errorCode === ErrorCode.NONE) continue;
        throw answerError(topic.name, topic.errorCode, null);
      }
      return response;
    });
    return {
      topics: metadata.topics.filter((t) => t.errorCode === ErrorCode.NONE).map(toTopicInfo),
    };
  }

  /**
   * KafkaJS's fetchTopicOffsets: per partition the high watermark (`offset` and `high`, what a
   * consumer can read up to) and the log start (`low`), asked of each partition's leader.
   */
  async fetchTopicOffsets(topic: string): Promise<TopicPartitionOffsets[]> {
    checkTopicNames([topic], 'topic');
    return await this.retrying(async () => {
      const metadata = await this.cluster.refreshMetadata([topic]);
      const found = metadata.topics.find((t) => t.name === topic);
      if (found === undefined || found.errorCode !== ErrorCode.NONE) {
        throw answerError(topic, found?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
      }
      const byLeader = new Map<number, number[]>();
      for (const p of found.partitions) {
        byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partitionIndex]);
      }
      const offsets: TopicPartitionOffsets[] = [];
      for (const [leader, partitionIds] of byLeader) {
        const connection = this.cluster.nodeConnection(leader);
        if (connection === undefined) throw new RaftkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE);
        const ask = async (timestamp: number) => {
          const response = await connection.request('ListOffsets', {
            replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: partitionIds
              .map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp })) }],
          });
          const results = response.topics.find((t) => t.name === topic)?.partitions ?? [];
          const failed = results.find((r) => r.errorCode !== ErrorCode.NONE);
          if (failed !== undefined) throw new RaftkaProtocolError(failed.errorCode);
          return new Map(results.map((r) => [r.partitionIndex, r.offset]));
        };
        const [high, low] = [await ask(-1), await ask(-2)];
        for (const partition of partitionIds) {
          const highOffset = String(high.get(partition) ?? -1);
          offsets.push({ partition, offset: highOffset, high: highOffset,
            low: String(low.get(partition) ?? -1) });
        }
      }
      return offsets.sort((a, b) => a.partition - b.partition);
    });
  }

  async describeCluster(): Promise<ClusterDescription> {
    const response = await this.retrying(async () => {
      const answer = await this.cluster.request('DescribeCluster', {});
      throwIfError(answer.errorCode, answer.errorMessage);
      return answer;
    });
    return {
      brokers: response.brokers.map((b) => ({
        nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack, isFenced: b.isFenced,
      })),
      controller: response.controllerId >= 0 ? response.controllerId : null,
      clusterId: response.clusterId,
    };
  }

  /** The metadata quorum as its leader sees it (raftka extra; Kafka's describeMetadataQuorum). */
  async describeQuorum(): Promise<QuorumInfo> {
    const response = await this.retrying(async () => {
      const answer = await this.cluster.request('DescribeQuorum', {});
      throwIfError(answer.errorCode, answer.errorMessage);
      return answer;
    });
    return toQuorumInfo(response);
  }

  async describeConfigs(options: DescribeConfigsOptions): Promise<DescribeConfigsResult> {
    if (options.resources.length === 0) throw new RaftkaError('Invalid resources: empty array');
    const response = await this.retrying(async () => {
      const answer = await this.cluster.request('DescribeConfigs', {
        resources: options.resources.map((r) => ({
          resourceType: r.type,
          resourceName: r.name,
          configurationKeys: r.configNames === undefined ? null : [...r.configNames],
        })),
        includeSynonyms: options.includeSynonyms ?? false,
      });
      for (const result of answer.results) {
        if (result.errorCode === ErrorCode.NONE) continue;
        throw answerError(result.resourceName, result.errorCode, result.errorMessage);
      }
      return answer;
    });
    return toDescribeConfigsResult(response);
  }

  private retrying<T>(attempt: () => Promise<T>): Promise<T> {
    return withRetry(this.retry, attempt);
  }

  private responseTimeout(operationTimeoutMs: number): number {
    return Math.max(this.cluster.config.requestTimeoutMs, operationTimeoutMs + RESPONSE_MARGIN_MS);
  }

  /** Polls metadata until every partition of `topics` has a leader, up to `timeoutMs`. */
  private async waitForLeaders(topics: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = await this.topicsWithoutLeaders(topics);
      if (missing.length === 0) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new RaftkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE,
          `Timed out after ${timeoutMs} ms waiting for leaders of ${missing.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(LEADER_POLL_MS, remaining)));
    }
  }

  private async topicsWithoutLeaders(topics: readonly string[]): Promise<string[]> {
    try {
      const metadata = await this.cluster.refreshMetadata(topics);
      const ready = new Set(metadata.topics.filter(hasAllLeaders).map((t) => t.name));
      return topics.filter((name) => !ready.has(name));
    } catch (error) {
      if (error instanceof RaftkaError && error.retriable) return [...topics];
      throw error;
    }
  }
}

function hasAllLeaders(topic: TopicMetadata): boolean {
  return topic.errorCode === ErrorCode.NONE && topic.partitions.length > 0 &&
    topic.partitions.every((p) => p.leader >= 0);
}

/**
 * Files each per-topic result: success leaves `pending`; a retried code stays in `pending`
 * and is thrown at the end (so withRetry resends those topics only); anything else is an
 * answer and goes to `errors`.
 */
function settle(
  results: readonly TopicResult[],
  pending: Map<string, unknown>,
  errors: RaftkaTopicError[],
): void {
  let retry: RaftkaTopicError | undefined;
  for (const result of results) {
    if (!pending.has(result.name)) continue;
    if (result.errorCode === ErrorCode.NONE) {
      pending.delete(result.name);
      continue;
    }
    const error = new RaftkaTopicError(result.name, result.errorCode, result.errorMessage);
    if (RETRIED_TOPIC_CODES.has(result.errorCode)) {
      retry ??= error;
    } else {
      pending.delete(result.name);
      errors.push(error);
    }
  }
  if (retry !== undefined) throw retry;
  for (const name of pending.keys()) {
    errors.push(new RaftkaTopicError(name, ErrorCode.UNKNOWN_SERVER_ERROR,
      `The broker returned no result for topic '${name}'`));
  }
  pending.clear();
}

function throwTopicErrors(message: string, errors: readonly RaftkaTopicError[]): void {
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new RaftkaAggregateError(message, errors);
}

/** A per-topic error; an answer code is final even when Kafka's table calls it retriable. */
function answerError(topic: string, code: number, message: string | null): RaftkaTopicError {
  const retriable = errorInfo(code).retriable && !ANSWER_CODES.has(code);
  return new RaftkaTopicError(topic, code, message, { retriable });
}

function throwIfError(code: number, message: string | null): void {
  if (code !== ErrorCode.NONE) throw new RaftkaProtocolError(code, message);
}

function checkTopicNames(names: readonly string[], field: string): string[] {
  if (!Array.isArray(names) || names.length === 0) {
    throw new RaftkaError(`Invalid ${field} array ${JSON.stringify(names)}`);
  }
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new RaftkaError(`Invalid topic name ${JSON.stringify(name)} in ${field}`);
    }
  }
  if (new Set(names).size !== names.length) {
    throw new RaftkaError(`Invalid ${field} array, the names must be all unique`);
  }
  return [...names];
}

function checkTopicConfigs(topics: readonly TopicConfig[]): readonly TopicConfig[] {
  if (!Array.isArray(topics)) {
    throw new RaftkaError(`Invalid topics array ${JSON.stringify(topics)}`);
  }
  checkTopicNames(topics.map((t) => t.topic), 'topics');
  return topics;
}

function toCreatableTopic(topic: TopicConfig): CreatableTopic {
  return {
    name: topic.topic,
    numPartitions: topic.numPartitions ?? -1,
    replicationFactor: topic.replicationFactor ?? -1,
    assignments: (topic.replicaAssignment ?? []).map((a) => ({
      partitionIndex: a.partition, brokerIds: [...a.replicas],
    })),
    configs: (topic.configEntries ?? []).map((c) => ({ name: c.name, value: c.value })),
  };
}

function toTopicInfo(topic: TopicMetadata): TopicMetadataInfo {
  return {
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: topic.partitions
      .map((p) => ({
        partitionErrorCode: p.errorCode,
        partitionId: p.partitionIndex,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas,
        eligibleLeaderReplicas: p.eligibleLeaderReplicas,
        lastKnownElr: p.lastKnownElr,
      }))
      .sort((a, b) => a.partitionId - b.partitionId),
  };
}

function toReplicaState(replica: ReplicaState): QuorumReplicaState {
  return {
    replicaId: replica.replicaId,
    replicaDirectoryId: replica.replicaDirectoryId,
    logEndOffset: replica.logEndOffset,
    lastFetchTimestamp: replica.lastFetchTimestamp < 0 ? undefined : replica.lastFetchTimestamp,
    lastCaughtUpTimestamp: replica.lastCaughtUpTimestamp < 0 ? undefined
      : replica.lastCaughtUpTimestamp,
  };
}

function toQuorumInfo(response: DescribeQuorumResponse): QuorumInfo {
  return {
    leaderId: response.leaderId,
    leaderEpoch: response.leaderEpoch,
    highWatermark: response.highWatermark,
    voters: response.currentVoters.map(toReplicaState),
    observers: response.observers.map(toReplicaState),
    nodes: response.nodes.map((node) => ({ nodeId: node.nodeId, endpoints: node.listeners })),
  };
}

function toDescribeConfigsResult(response: DescribeConfigsResponse): DescribeConfigsResult {
  return {
    throttleTime: response.throttleTimeMs,
    resources: response.results.map((result) => ({
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      resourceType: result.resourceType,
      resourceName: result.resourceName,
      configEntries: result.configs.map((entry) => ({
        configName: entry.name,
        configValue: entry.value,
        readOnly: entry.readOnly,
        isDefault: entry.configSource === ConfigSource.DEFAULT_CONFIG,
        configSource: entry.configSource,
        isSensitive: entry.isSensitive,
        configSynonyms: entry.synonyms.map((s) => ({
          configName: s.name, configValue: s.value, configSource: s.source,
        })),
      })),
    })),
  };
}
