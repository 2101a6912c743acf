/**
 * The errors the controller answers with: Kafka's names and codes
 * (org.apache.kafka.common.protocol.Errors), so that the wire layer can pass them on as is.
 * They are values, never exceptions: a refused request is an expected condition.
 */
import type { MetadataRecord } from '../records/record-types.js';

export const ErrorCode = {
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  NOT_CONTROLLER: 41,
  INVALID_REQUEST: 42,
  POLICY_VIOLATION: 44,
  FENCED_LEADER_EPOCH: 74,
  STALE_BROKER_EPOCH: 77,
  INVALID_UPDATE_VERSION: 95,
  UNKNOWN_TOPIC_ID: 100,
  DUPLICATE_BROKER_REGISTRATION: 101,
  BROKER_ID_NOT_REGISTERED: 102,
  INCONSISTENT_CLUSTER_ID: 104,
  INELIGIBLE_REPLICA: 107,
} as const;
export type ErrorName = keyof typeof ErrorCode;

export interface ApiError {
  readonly error: ErrorName;
  readonly message: string;
}

export function apiError(error: ErrorName, message: string): ApiError {
  return { error, message };
}

/**
 * What a request handler returns: the records to propose as one entry (empty when nothing
 * changes) and the reply to send once they commit, or the error to send right away.
 */
export type ControllerResult<T> =
  | { readonly ok: true; readonly records: readonly MetadataRecord[]; readonly reply: T }
  | { readonly ok: false; readonly error: ApiError };

export function ok<T>(records: readonly MetadataRecord[], reply: T): ControllerResult<T> {
  return { ok: true, records, reply };
}

export function failed<T>(error: ErrorName, message: string): ControllerResult<T> {
  return { ok: false, error: { error, message } };
}
