/**
 * The errors the controller answers with, by their names in Kafka's table,
 * protocol/error-codes.ts (org.apache.kafka.common.protocol.Errors): the number, the retriable
 * flag and the default text live there only, and the wire layer adds them. Naming a code that
 * is not in that table fails to compile. They are values, never exceptions: a refused request
 * is an expected condition.
 */
import type { ErrorName as KafkaErrorName } from '../../protocol/error-codes.js';
import type { MetadataRecord } from '../records/record-types.js';

export const CONTROLLER_ERROR_NAMES = [
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_ALREADY_EXISTS',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'NOT_CONTROLLER',
  'INVALID_REQUEST',
  'POLICY_VIOLATION',
  'FENCED_LEADER_EPOCH',
  'STALE_BROKER_EPOCH',
  'INVALID_UPDATE_VERSION',
  'UNKNOWN_TOPIC_ID',
  'DUPLICATE_BROKER_REGISTRATION',
  'BROKER_ID_NOT_REGISTERED',
  'INCONSISTENT_CLUSTER_ID',
  'INELIGIBLE_REPLICA',
] as const satisfies readonly KafkaErrorName[];
export type ErrorName = (typeof CONTROLLER_ERROR_NAMES)[number];

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
