/**
 * Client requests a broker forwards to the active controller (KIP-590): CreateTopics,
 * DeleteTopics, CreatePartitions and DescribeQuorum. The broker translates between the client
 * protocol (protocol/apis) and the controller API (protocol/controller, served by
 * server/controller/controller-api.ts), waits
 * at most the request's timeoutMs, and maps the outcome to Kafka's per-topic codes. A failure
 * of the whole forward (no controller within the timeout) becomes the same code on every topic,
 * as Kafka's ControllerApis do.
 */
import { ZERO_UUID } from '../../lib/uuid.js';
import type {
  CreatePartitionsRequest, CreatePartitionsResponse, CreateTopicsRequest, CreateTopicsResponse,
  DeleteTopicsRequest, DeleteTopicsResponse, DescribeQuorumResponse,
} from '../../protocol/index.js';
import { ErrorCode } from '../../protocol/index.js';
import {
  ControllerApi, type QuorumDescriptionReply, type WireError,
} from '../../protocol/controller/index.js';
import type { ControllerChannel } from '../controller-channel.js';

/** How long DescribeQuorum waits for the quorum leader. */
const DESCRIBE_QUORUM_TIMEOUT_MS = 5_000;

type TopicOutcome = WireError & { readonly name?: string; readonly requested?: string;
  readonly topicId?: string; readonly numPartitions?: number; readonly replicationFactor?: number };

function codeOf(outcome: WireError): { errorCode: number; errorMessage: string | null } {
  const failed = outcome.errorCode !== ErrorCode.NONE;
  return { errorCode: outcome.errorCode, errorMessage: failed ? outcome.message || null : null };
}

export async function forwardCreateTopics(
  channel: ControllerChannel, request: CreateTopicsRequest,
): Promise<CreateTopicsResponse> {
  const reply = await channel.call(ControllerApi.createTopics, {
    topics: request.topics.map((topic) => ({
      name: topic.name,
      numPartitions: topic.numPartitions,
      replicationFactor: topic.replicationFactor,
      ...(topic.assignments.length === 0 ? {} : {
        assignments: [...topic.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex)
          .map((a) => a.brokerIds),
      }),
      configs: Object.fromEntries(topic.configs.flatMap((c) =>
        (c.value === null ? [] : [[c.name, c.value]]))),
    })),
    validateOnly: request.validateOnly,
  }, request.timeoutMs);
  const results = reply.topics ?? [];
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic, i) => {
      const outcome: TopicOutcome = reply.errorCode === ErrorCode.NONE ? results[i] ?? reply
        : reply;
      const ok = outcome.errorCode === ErrorCode.NONE;
      return {
        name: topic.name,
        topicId: ok ? outcome.topicId ?? ZERO_UUID : ZERO_UUID,
        ...codeOf(outcome),
        numPartitions: ok ? outcome.numPartitions ?? -1 : -1,
        replicationFactor: ok ? outcome.replicationFactor ?? -1 : -1,
      };
    }),
  };
}

export async function forwardDeleteTopics(
  channel: ControllerChannel, request: DeleteTopicsRequest,
): Promise<DeleteTopicsResponse> {
  const names = request.topics.flatMap((t) => (t.name === null ? [] : [t.name]));
  const topicIds = request.topics.flatMap((t) => (t.topicId === null ? [] : [t.topicId]));
  const reply = await channel.call(ControllerApi.deleteTopics, { names, topicIds },
    request.timeoutMs);
  const results = reply.topics ?? [];
  // The controller answers names first, then ids, each in request order.
  const byName = results.slice(0, names.length);
  const byId = results.slice(names.length);
  let nameIndex = 0;
  let idIndex = 0;
  return {
    throttleTimeMs: 0,
    responses: request.topics.map((topic) => {
      const found = topic.name !== null ? byName[nameIndex++] : byId[idIndex++];
      const outcome: TopicOutcome = reply.errorCode === ErrorCode.NONE ? found ?? reply : reply;
      return {
        name: outcome.name ?? topic.name,
        topicId: outcome.topicId ?? topic.topicId ?? ZERO_UUID,
        ...codeOf(outcome),
      };
    }),
  };
}

export async function forwardCreatePartitions(
  channel: ControllerChannel, request: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  const reply = await channel.call(ControllerApi.createPartitions, {
    topics: request.topics.map((topic) => ({
      name: topic.name,
      count: topic.count,
      ...(topic.assignments === null ? {} : {
        assignments: topic.assignments.map((a) => a.brokerIds),
      }),
    })),
    validateOnly: request.validateOnly,
  }, request.timeoutMs);
  const results = reply.topics ?? [];
  return {
    throttleTimeMs: 0,
    results: request.topics.map((topic, i) => {
      const outcome: TopicOutcome = reply.errorCode === ErrorCode.NONE ? results[i] ?? reply
        : reply;
      return { name: topic.name, ...codeOf(outcome) };
    }),
  };
}

export interface VoterEndpoint {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export async function forwardDescribeQuorum(
  channel: ControllerChannel, voters: readonly VoterEndpoint[], listenerName: string,
): Promise<DescribeQuorumResponse> {
  const reply = await channel.call(ControllerApi.describeQuorum, { leaderOnly: true },
    DESCRIBE_QUORUM_TIMEOUT_MS);
  const status = reply.status;
  const nodes = voters.map((v) => ({
    nodeId: v.id, listeners: [{ name: listenerName, host: v.host, port: v.port }],
  }));
  if (reply.errorCode !== ErrorCode.NONE || status === undefined) {
    return {
      ...codeOf(reply), leaderId: -1, leaderEpoch: -1, highWatermark: -1, currentVoters: [],
      observers: [], nodes,
    };
  }
  const replica = (r: QuorumDescriptionReply['voters'][number]) => ({
    replicaId: r.nodeId,
    replicaDirectoryId: ZERO_UUID,
    logEndOffset: r.logEndOffset,
    lastFetchTimestamp: r.lastFetchTimestamp,
    lastCaughtUpTimestamp: r.lastCaughtUpTimestamp,
  });
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    leaderId: status.leaderId,
    leaderEpoch: status.epoch,
    highWatermark: status.highWatermark,
    currentVoters: status.voters.map(replica),
    observers: status.observers.map(replica),
    nodes,
  };
}
