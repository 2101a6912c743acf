/**
 * The controller API, served on the controller listener next to the Raft messages. Like
 * tests/harness/quorum-service.ts, application errors travel in the payload (WireError fields: error,
 * errorCode, retriable, message) together with `leaderId`, the Raft leader as this node knows
 * it (the NOT_CONTROLLER hint); the frame's own error is kept for malformed requests
 * (INVALID_REQUEST) and unknown apis (UNSUPPORTED_API).
 *
 *  - createTopics      {topics: CreatableTopic[], validateOnly?} -> {topics: TopicResult[]}
 *  - deleteTopics      {names?, topicIds?}                       -> {topics: TopicResult[]}
 *  - createPartitions  {topics: CreatePartitionsTopic[], validateOnly?} -> {topics: TopicResult[]}
 *  - registerBroker    BrokerRegistrationRequest -> {brokerEpoch}
 *  - brokerHeartbeat   BrokerHeartbeatRequest    -> {isCaughtUp, isFenced, inControlledShutdown,
 *                                                    shouldShutDown}
 *  - alterPartition    AlterPartitionRequest     -> {leader, leaderEpoch, partitionEpoch, isr}
 *  - describeQuorum    {leaderOnly?} -> {status: QuorumDescription} (any controller; with
 *                      leaderOnly, a non-leader answers NOT_CONTROLLER with the leader hint,
 *                      since only the leader knows the replicas' progress)
 *  - metadataImage     {} -> ImageSummary        (any controller: its committed image)
 * Writes answer once their records commit; validation runs here, at the trust boundary.
 */
import type { z } from 'zod';
import type { ApiError, ControllerResponse } from '../../metadata/index.js';
import type { RaftNode } from '../../raft/runtime.js';
import type { RequestResult, RequestServer } from '../../raft/transport/types.js';
import type { ControllerDriver } from './controller-driver.js';
import { summarizeImage } from './image-summary.js';
import {
  alterPartitionSchema, brokerHeartbeatSchema, createPartitionsSchema, createTopicsSchema,
  deleteTopicsSchema, describeQuorumSchema, emptySchema, registerBrokerSchema,
} from '../../protocol/controller/index.js';
import {
  ControllerApi, fromApiError, NO_ERROR, wireError, type WireError,
} from '../../protocol/controller/index.js';

type Reply = (result: RequestResult) => void;
type Handler = (payload: unknown, reply: Reply) => void;

/** Per-topic results keep Kafka's shape: a name (or the requested id) and an error. */
function topicResults(results: readonly object[]): object[] {
  return results.map((result) => {
    const { ok, error, ...rest } = result as { ok: boolean; error?: ApiError };
    return { ...rest, ...(ok || error === undefined ? NO_ERROR : fromApiError(error)) };
  });
}

export function serveControllerApi(
  server: RequestServer, node: RaftNode, driver: ControllerDriver,
): void {
  const controller = driver.controller;
  const clock = driver.clock;
  const answer = (reply: Reply, fields: object, error: WireError = NO_ERROR): void => {
    reply({ ok: true, payload: { ...error, leaderId: node.leaderAndEpoch.leaderId, ...fields } });
  };
  const write = <T>(
    reply: Reply, response: ControllerResponse<T>, shape: (reply: T) => object,
  ): void => {
    driver.submit(response, (result) => {
      if (result.ok) answer(reply, shape(result.reply));
      else answer(reply, {}, fromApiError(result.error));
    });
  };
  const parsed = <S extends z.ZodType>(
    schema: S, payload: unknown, reply: Reply, then: (request: z.infer<S>) => void,
  ): void => {
    const result = schema.safeParse(payload);
    if (result.success) {
      then(result.data);
      return;
    }
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : `${issue.path.join('.')}: `;
    reply({ ok: false, error: { code: 'INVALID_REQUEST', retriable: false },
      message: `${where}${issue?.message ?? 'invalid request'}` });
  };
  const topicsShape = (results: readonly object[]): object => ({ topics: topicResults(results) });
  const handlers: Record<string, Handler> = {
    [ControllerApi.createTopics]: (payload, reply) => parsed(createTopicsSchema, payload, reply,
      (request) => write(reply,
        controller.createTopics(request.topics, request.validateOnly ?? false), topicsShape)),
    [ControllerApi.deleteTopics]: (payload, reply) => parsed(deleteTopicsSchema, payload, reply,
      (request) => write(reply, controller.deleteTopics(request), topicsShape)),
    [ControllerApi.createPartitions]: (payload, reply) => parsed(createPartitionsSchema, payload,
      reply, (request) => write(reply,
        controller.createPartitions(request.topics, request.validateOnly ?? false), topicsShape)),
    [ControllerApi.registerBroker]: (payload, reply) => parsed(registerBrokerSchema, payload,
      reply, (request) => write(reply,
        controller.registerBroker(request, clock.nowMs()), (r) => r)),
    [ControllerApi.brokerHeartbeat]: (payload, reply) => parsed(brokerHeartbeatSchema, payload,
      reply, (request) => write(reply,
        controller.brokerHeartbeat(request, clock.nowMs()), (r) => r)),
    [ControllerApi.alterPartition]: (payload, reply) => parsed(alterPartitionSchema, payload,
      reply, (request) => write(reply, controller.alterPartition(request), (r) => r)),
    [ControllerApi.describeQuorum]: (payload, reply) => parsed(describeQuorumSchema, payload,
      reply, (request) => {
        const status = node.describeQuorum();
        if (request.leaderOnly === true && status.role !== 'Leader') {
          answer(reply, {}, wireError('NOT_CONTROLLER', 'This node is not the quorum leader.'));
        } else {
          answer(reply, { status });
        }
      }),
    [ControllerApi.metadataImage]: (payload, reply) => parsed(emptySchema, payload, reply,
      () => answer(reply, summarizeImage(driver.committedImage, driver.appliedEndOffset))),
  };
  server.onRequest((api, payload, reply) => {
    const handler = Object.hasOwn(handlers, api) ? handlers[api] : undefined;
    if (handler === undefined) {
      reply({ ok: false, error: { code: 'UNSUPPORTED_API', retriable: false },
        message: `unknown api '${api.slice(0, 64)}'` });
      return;
    }
    handler(payload, reply);
  });
}
