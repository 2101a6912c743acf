import t from 'tap';
import { ALL_ERROR_CODES, ErrorCode, errorInfo } from '../../../protocol/index.js';

t.test("error codes carry Kafka's numbers (Errors.java)", async (t) => {
  t.strictSame({ ...ErrorCode }, {
    UNKNOWN_SERVER_ERROR: -1, NONE: 0, OFFSET_OUT_OF_RANGE: 1, CORRUPT_MESSAGE: 2,
    UNKNOWN_TOPIC_OR_PARTITION: 3, LEADER_NOT_AVAILABLE: 5, NOT_LEADER_OR_FOLLOWER: 6,
    REQUEST_TIMED_OUT: 7, MESSAGE_TOO_LARGE: 10, NETWORK_EXCEPTION: 13,
    COORDINATOR_LOAD_IN_PROGRESS: 14, COORDINATOR_NOT_AVAILABLE: 15, NOT_COORDINATOR: 16,
    INVALID_TOPIC_EXCEPTION: 17, RECORD_LIST_TOO_LARGE: 18, NOT_ENOUGH_REPLICAS: 19,
    NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
    INVALID_REQUIRED_ACKS: 21, UNSUPPORTED_VERSION: 35, TOPIC_ALREADY_EXISTS: 36,
    INVALID_PARTITIONS: 37, INVALID_REPLICATION_FACTOR: 38, INVALID_REPLICA_ASSIGNMENT: 39,
    INVALID_CONFIG: 40, NOT_CONTROLLER: 41, INVALID_REQUEST: 42, POLICY_VIOLATION: 44,
    KAFKA_STORAGE_ERROR: 56, FENCED_LEADER_EPOCH: 74, UNKNOWN_LEADER_EPOCH: 75,
    STALE_BROKER_EPOCH: 77, OFFSET_NOT_AVAILABLE: 78, INVALID_RECORD: 87,
    INVALID_UPDATE_VERSION: 95, UNKNOWN_TOPIC_ID: 100, DUPLICATE_BROKER_REGISTRATION: 101,
    BROKER_ID_NOT_REGISTERED: 102, INCONSISTENT_CLUSTER_ID: 104, INELIGIBLE_REPLICA: 107,
  });
  t.equal(new Set(ALL_ERROR_CODES.map((e) => e.code)).size, ALL_ERROR_CODES.length, 'unique');
});

t.test("retriable flags follow Kafka's RetriableException hierarchy", async (t) => {
  const retriable = ALL_ERROR_CODES.filter((e) => e.retriable).map((e) => e.name).sort();
  t.strictSame(retriable, [
    'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'CORRUPT_MESSAGE',
    'FENCED_LEADER_EPOCH', 'KAFKA_STORAGE_ERROR', 'LEADER_NOT_AVAILABLE', 'NETWORK_EXCEPTION',
    'NOT_CONTROLLER', 'NOT_COORDINATOR', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    'NOT_LEADER_OR_FOLLOWER', 'OFFSET_NOT_AVAILABLE', 'REQUEST_TIMED_OUT', 'UNKNOWN_LEADER_EPOCH',
    'UNKNOWN_TOPIC_ID',
    'UNKNOWN_TOPIC_OR_PARTITION',
  ]);
  t.equal(errorInfo(ErrorCode.NOT_LEADER_OR_FOLLOWER).invalidMetadata, true, 'refresh metadata');
  t.equal(errorInfo(ErrorCode.NOT_CONTROLLER).invalidMetadata, false);
});

t.test('an unknown code from a newer server keeps its number and is never retried', async (t) => {
  t.match(errorInfo(9_999), { code: 9_999, name: 'UNKNOWN_SERVER_ERROR', retriable: false });
  t.match(errorInfo(36), { name: 'TOPIC_ALREADY_EXISTS', message: 'Topic with this name already exists.' });
});
