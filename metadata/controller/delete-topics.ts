/**
 * DeleteTopics by name or by id (Kafka's ReplicationControlManager.deleteTopics): one
 * RemoveTopicRecord per topic, all in one entry. Replaying it drops the topic's partitions
 * and configs; brokers learn from the delta which logs to delete.
 */
import type { MetadataImage } from '../image/image-types.js';
import type { RemoveTopicRecord } from '../records/record-types.js';
import { apiError, ok, type ApiError, type ControllerResult } from './errors.js';

export interface DeleteTopicsRequest {
  readonly names?: readonly string[];
  readonly topicIds?: readonly string[];
}

export type DeleteTopicResult =
  | { readonly name: string; readonly topicId: string; readonly ok: true }
  | {
      /** The name or id as requested. */
      readonly requested: string;
      readonly ok: false;
      readonly error: ApiError;
    };

export function deleteTopics(
  image: MetadataImage, request: DeleteTopicsRequest,
): ControllerResult<readonly DeleteTopicResult[]> {
  const removed = new Set<string>();
  const records: RemoveTopicRecord[] = [];
  const results: DeleteTopicResult[] = [];
  const remove = (requested: string, topicId: string | undefined, unknown: ApiError): void => {
    const topic = topicId === undefined ? undefined : image.topics.byId.get(topicId);
    if (topic === undefined) {
      results.push({ requested, ok: false, error: unknown });
    } else if (removed.has(topic.topicId)) {
      const error = apiError('INVALID_REQUEST', 'Duplicate topic.');
      results.push({ requested, ok: false, error });
    } else {
      removed.add(topic.topicId);
      records.push({ type: 'RemoveTopicRecord', topicId: topic.topicId });
      results.push({ name: topic.name, topicId: topic.topicId, ok: true });
    }
  };
  for (const name of request.names ?? []) {
    remove(name, image.topics.byName.get(name)?.topicId, apiError('UNKNOWN_TOPIC_OR_PARTITION',
      'This server does not host this topic-partition.'));
  }
  for (const topicId of request.topicIds ?? []) {
    remove(topicId, topicId,
      apiError('UNKNOWN_TOPIC_ID', 'This server does not host this topic ID.'));
  }
  return ok(records, results);
}
