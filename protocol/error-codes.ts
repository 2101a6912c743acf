/**
 * Kafka's error codes, defined once for broker and client: the number on the wire, the name
 * clients branch on (KafkaJS's `error.type`), whether resending the same request may succeed,
 * and whether the client should refresh its metadata first (Kafka's InvalidMetadataException
 * family: the leader or the topic moved, so the cached view is stale).
 *
 * Numbers, names and default messages follow `clients/.../common/protocol/Errors.java`; the
 * retriable flag is Kafka's (the exception extends RetriableException). Only the codes raftka
 * uses or is about to use are listed; an unknown code from a newer server is kept as a number
 * and never retried.
 */

export interface ErrorCodeInfo {
  readonly code: number;
  readonly name: string;
  /** True when the same request may succeed if sent again, possibly to another broker. */
  readonly retriable: boolean;
  /** True when the client's metadata is likely stale: refresh it before retrying. */
  readonly invalidMetadata: boolean;
  /** Kafka's default text, used when a response carries no message of its own. */
  readonly message: string;
}

interface Definition {
  readonly code: number;
  readonly retriable: boolean;
  readonly invalidMetadata?: boolean;
  readonly message: string;
}

const DEFINITIONS = {
  UNKNOWN_SERVER_ERROR: { code: -1, retriable: false,
    message: 'The server experienced an unexpected error when processing the request.' },
  NONE: { code: 0, retriable: false, message: '' },
  OFFSET_OUT_OF_RANGE: { code: 1, retriable: false,
    message: 'The requested offset is not within the range of offsets maintained by the server.' },
  CORRUPT_MESSAGE: { code: 2, retriable: true,
    message: 'This message has failed its CRC checksum, exceeds the valid size, has a null key ' +
      'for a compacted topic, or is otherwise corrupt.' },
  UNKNOWN_TOPIC_OR_PARTITION: { code: 3, retriable: true, invalidMetadata: true,
    message: 'This server does not host this topic-partition.' },
  LEADER_NOT_AVAILABLE: { code: 5, retriable: true, invalidMetadata: true,
    message: 'There is no leader for this topic-partition as we are in the middle of a ' +
      'leadership election.' },
  NOT_LEADER_OR_FOLLOWER: { code: 6, retriable: true, invalidMetadata: true,
    message: 'For requests intended only for the leader, this error indicates that the broker ' +
      'is not the current leader. For requests intended for any replica, this error indicates ' +
      'that the broker is not a replica of the topic partition.' },
  REQUEST_TIMED_OUT: { code: 7, retriable: true, message: 'The request timed out.' },
  MESSAGE_TOO_LARGE: { code: 10, retriable: false,
    message: 'The request included a message larger than the max message size the server will ' +
      'accept.' },
  NETWORK_EXCEPTION: { code: 13, retriable: true, invalidMetadata: true,
    message: 'The server disconnected before a response was received.' },
  COORDINATOR_LOAD_IN_PROGRESS: { code: 14, retriable: true,
    message: "The coordinator is loading and hence can't process requests." },
  COORDINATOR_NOT_AVAILABLE: { code: 15, retriable: true,
    message: 'The coordinator is not available.' },
  NOT_COORDINATOR: { code: 16, retriable: true, message: 'This is not the correct coordinator.' },
  INVALID_TOPIC_EXCEPTION: { code: 17, retriable: false,
    message: 'The request attempted to perform an operation on an invalid topic.' },
  RECORD_LIST_TOO_LARGE: { code: 18, retriable: false,
    message: 'The request included message batch larger than the configured segment size on ' +
      'the server.' },
  NOT_ENOUGH_REPLICAS: { code: 19, retriable: true,
    message: 'Messages are rejected since there are fewer in-sync replicas than required.' },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: { code: 20, retriable: true,
    message: 'Messages are written to the log, but to fewer in-sync replicas than required.' },
  INVALID_REQUIRED_ACKS: { code: 21, retriable: false,
    message: 'Produce request specified an invalid value for required acks.' },
  UNSUPPORTED_VERSION: { code: 35, retriable: false,
    message: 'The version of API is not supported.' },
  TOPIC_ALREADY_EXISTS: { code: 36, retriable: false,
    message: 'Topic with this name already exists.' },
  INVALID_PARTITIONS: { code: 37, retriable: false, message: 'Number of partitions is below 1.' },
  INVALID_REPLICATION_FACTOR: { code: 38, retriable: false,
    message: 'Replication factor is below 1 or larger than the number of available brokers.' },
  INVALID_REPLICA_ASSIGNMENT: { code: 39, retriable: false,
    message: 'Replica assignment is invalid.' },
  INVALID_CONFIG: { code: 40, retriable: false, message: 'Configuration is invalid.' },
  NOT_CONTROLLER: { code: 41, retriable: true,
    message: 'This is not the correct controller for this cluster.' },
  INVALID_REQUEST: { code: 42, retriable: false,
    message: 'This most likely occurs because of a request being malformed by the client ' +
      'library or the message was sent to an incompatible broker. See the broker logs for ' +
      'more details.' },
  POLICY_VIOLATION: { code: 44, retriable: false,
    message: 'Request parameters do not satisfy the configured policy.' },
  KAFKA_STORAGE_ERROR: { code: 56, retriable: true, invalidMetadata: true,
    message: 'Disk error when trying to access log file on the disk.' },
  FENCED_LEADER_EPOCH: { code: 74, retriable: true, invalidMetadata: true,
    message: 'The leader epoch in the request is older than the epoch on the broker.' },
  UNKNOWN_LEADER_EPOCH: { code: 75, retriable: true, invalidMetadata: true,
    message: 'The leader epoch in the request is newer than the epoch on the broker.' },
  STALE_BROKER_EPOCH: { code: 77, retriable: false, message: 'Broker epoch has changed.' },
  OFFSET_NOT_AVAILABLE: { code: 78, retriable: true,
    message: 'The leader high watermark has not caught up from a recent leader election so the ' +
      'offsets cannot be guaranteed to be monotonically increasing.' },
  INVALID_RECORD: { code: 87, retriable: false,
    message: 'This record has failed the validation on broker and hence will be rejected.' },
  // Backpressure (KIP-599's controller mutation quota; here also a Raft leader whose
  // uncommitted bytes or proposal buffer are full): back off and send the same request again.
  THROTTLING_QUOTA_EXCEEDED: { code: 89, retriable: true,
    message: 'The throttling quota has been exceeded.' },
  INVALID_UPDATE_VERSION: { code: 95, retriable: false,
    message: 'The given update version was invalid.' },
  SNAPSHOT_NOT_FOUND: { code: 98, retriable: false,
    message: 'Requested snapshot was not found' },
  UNKNOWN_TOPIC_ID: { code: 100, retriable: true, invalidMetadata: true,
    message: 'This server does not host this topic ID.' },
  DUPLICATE_BROKER_REGISTRATION: { code: 101, retriable: false,
    message: 'This broker ID is already in use.' },
  BROKER_ID_NOT_REGISTERED: { code: 102, retriable: false,
    message: 'The given broker ID was not registered.' },
  INCONSISTENT_CLUSTER_ID: { code: 104, retriable: false,
    message: 'The clusterId in the request does not match that found on the server' },
  INELIGIBLE_REPLICA: { code: 107, retriable: false,
    message: 'The new ISR contains at least one ineligible replica.' },
} as const satisfies Record<string, Definition>;

export type ErrorName = keyof typeof DEFINITIONS;

/** Name to wire number: `ErrorCode.NOT_CONTROLLER === 41`. */
export const ErrorCode = Object.fromEntries(
  Object.entries(DEFINITIONS).map(([name, definition]) => [name, definition.code]),
) as { readonly [N in ErrorName]: (typeof DEFINITIONS)[N]['code'] };

const byCode = new Map<number, ErrorCodeInfo>(
  Object.entries(DEFINITIONS).map(([name, definition]: [string, Definition]) => [
    definition.code,
    {
      code: definition.code,
      name,
      retriable: definition.retriable,
      invalidMetadata: definition.invalidMetadata ?? false,
      message: definition.message,
    },
  ]),
);

/** Every known code, in ascending order (for tests and documentation). */
export const ALL_ERROR_CODES: readonly ErrorCodeInfo[] =
  [...byCode.values()].sort((a, b) => a.code - b.code);

/**
 * Looks a wire code up. An unknown code (a newer server) keeps its number, is named
 * UNKNOWN_SERVER_ERROR as Kafka's `Errors.forCode` does, and is never retried.
 */
export function errorInfo(code: number): ErrorCodeInfo {
  return byCode.get(code) ?? {
    code,
    name: 'UNKNOWN_SERVER_ERROR',
    retriable: false,
    invalidMetadata: false,
    message: `Unexpected error code: ${code}.`,
  };
}

export function isKnownErrorCode(code: number): boolean {
  return byCode.has(code);
}
