/**
 * The controller API (protocol/controller), served on the controller listener next to the Raft
 * messages. Every request is validated by the API's own schema (decodeControllerRequest: the
 * trust boundary) before a handler sees it; a malformed one gets the frame error
 * INVALID_REQUEST naming the field, an unknown api UNSUPPORTED_API. Application errors travel
 * in the reply payload (WireError fields) together with `leaderId`, the Raft leader as this
 * node knows it (the NOT_CONTROLLER hint). Writes answer once their records commit.
 *
 * describeQuorum and metadataImage are served by any controller: a standby answers
 * describeQuorum with leaderOnly NOT_CONTROLLER and the hint, since only the leader knows the
 * replicas' progress; metadataImage answers with the node's committed image.
 */
import type {
  ControllerResponse, CreatePartitionsResult, CreateTopicResult, DeleteTopicResult,
} from '../../metadata/index.js';
import type { RaftNode } from '../../raft/runtime.js';
import { TransportErrorCode } from '../../raft/transport/errors.js';
import type { RequestResult, RequestServer } from '../../raft/transport/types.js';
import type { ControllerDriver } from './controller-driver.js';
import { summarizeImage } from './image-summary.js';
import {
  decodeControllerRequest, encodeControllerReply, fromApiError, isControllerApiName, NO_ERROR,
  wireError, type ControllerApiName, type ControllerOutcome, type ControllerReplyFieldsOf,
  type ControllerRequestOf, type CreateTopicControllerResult, type DeleteTopicControllerResult,
} from '../../protocol/controller/index.js';

type Answer<N extends ControllerApiName> = (outcome: ControllerOutcome<N>) => void;
type Handlers = {
  readonly [N in ControllerApiName]: (request: ControllerRequestOf<N>, answer: Answer<N>) => void;
};

/** Per-topic results keep Kafka's shape: the name (or the requested id) and an error. */
function createTopicResult(result: CreateTopicResult): CreateTopicControllerResult {
  if (!result.ok) return { ...fromApiError(result.error), name: result.name };
  const { name, topicId, numPartitions, replicationFactor } = result;
  return { ...NO_ERROR, name, topicId, numPartitions, replicationFactor };
}

function deleteTopicResult(result: DeleteTopicResult): DeleteTopicControllerResult {
  if (!result.ok) return { ...fromApiError(result.error), requested: result.requested };
  return { ...NO_ERROR, name: result.name, topicId: result.topicId };
}

function createPartitionsResult(result: CreatePartitionsResult) {
  return { ...(result.ok ? NO_ERROR : fromApiError(result.error)), name: result.name };
}

/** Answers a write once it commits: its reply shaped into the api's fields, or its error. */
function answerWrite<N extends ControllerApiName, T>(
  driver: ControllerDriver, response: ControllerResponse<T>, answer: Answer<N>,
  shape: (reply: T) => ControllerReplyFieldsOf<N>,
): void {
  driver.submit(response, (result) => answer(result.ok
    ? { ok: true, fields: shape(result.reply) }
    : { ok: false, error: fromApiError(result.error) }));
}

function handlersFor(node: RaftNode, driver: ControllerDriver): Handlers {
  const controller = driver.controller;
  const nowMs = (): number => driver.clock.nowMs();
  return {
    createTopics: (request, answer) => answerWrite(driver,
      controller.createTopics(request.topics, request.validateOnly ?? false), answer,
      (results) => ({ topics: results.map(createTopicResult) })),
    deleteTopics: (request, answer) => answerWrite(driver, controller.deleteTopics(request),
      answer, (results) => ({ topics: results.map(deleteTopicResult) })),
    createPartitions: (request, answer) => answerWrite(driver,
      controller.createPartitions(request.topics, request.validateOnly ?? false), answer,
      (results) => ({ topics: results.map(createPartitionsResult) })),
    registerBroker: (request, answer) => answerWrite(driver,
      controller.registerBroker(request, nowMs()), answer, (reply) => reply),
    brokerHeartbeat: (request, answer) => answerWrite(driver,
      controller.brokerHeartbeat(request, nowMs()), answer, (reply) => reply),
    alterPartition: (request, answer) => answerWrite(driver,
      controller.alterPartition(request), answer, (reply) => reply),
    describeQuorum: (request, answer) => {
      const status = node.describeQuorum();
      if (request.leaderOnly === true && status.role !== 'Leader') {
        answer({ ok: false,
          error: wireError('NOT_CONTROLLER', 'This node is not the quorum leader.') });
      } else {
        answer({ ok: true, fields: { status } });
      }
    },
    metadataImage: (_request, answer) => answer({
      ok: true, fields: summarizeImage(driver.committedImage, driver.appliedEndOffset),
    }),
  };
}

export function serveControllerApi(
  server: RequestServer, node: RaftNode, driver: ControllerDriver,
): void {
  const handlers = handlersFor(node, driver);
  const serve = <N extends ControllerApiName>(
    api: N, payload: unknown, reply: (result: RequestResult) => void,
  ): void => {
    const decoded = decodeControllerRequest(api, payload);
    if (!decoded.ok) {
      reply({ ok: false, error: TransportErrorCode.invalidRequest, message: decoded.message });
      return;
    }
    handlers[api](decoded.value, (outcome) => reply({
      ok: true, payload: encodeControllerReply(api, node.leaderAndEpoch.leaderId, outcome),
    }));
  };
  server.onRequest((api, payload, reply) => {
    if (isControllerApiName(api)) {
      serve(api, payload, reply);
    } else {
      reply({ ok: false, error: TransportErrorCode.unsupportedApi,
        message: `unknown api '${api.slice(0, 64)}'` });
    }
  });
}
