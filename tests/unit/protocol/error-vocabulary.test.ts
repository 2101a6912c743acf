/**
 * One error vocabulary: protocol/error-codes.ts is the table (Kafka's Errors), and every other
 * set of codes maps onto it by name. raft/ may not import protocol/, so its names are spelled
 * in raft/; these tests prove each name is in the table and that the retriable flags agree.
 */
import t from 'tap';
import { CONTROLLER_ERROR_NAMES } from '../../../metadata/index.js';
import { ALL_ERROR_CODES, ErrorCode, errorInfo } from '../../../protocol/index.js';
import { RaftError } from '../../../raft/core/types.js';
import { ProposalError, ProposalErrorCode } from '../../../raft/pending-proposals.js';
import { TransportErrorCode } from '../../../raft/transport/errors.js';

const table = new Map(ALL_ERROR_CODES.map((info) => [info.name, info]));

t.test('every transport code maps onto a Kafka code with the same retriable flag', async (t) => {
  for (const [key, info] of Object.entries(TransportErrorCode)) {
    const kafka = table.get(info.kafkaError);
    t.ok(kafka, `${key}: ${info.kafkaError} is in protocol/error-codes.ts`);
    if (kafka !== undefined && info.code !== 'NONE') {
      t.equal(info.retriable, kafka.retriable, `${key} (${info.code}) retriable`);
    }
  }
  t.equal(TransportErrorCode.inconsistentClusterId.kafkaError, 'INCONSISTENT_CLUSTER_ID');
  t.equal(TransportErrorCode.tooManyInFlightRequests.kafkaError, 'THROTTLING_QUOTA_EXCEEDED',
    'too many requests in flight is backpressure');
});

t.test('every proposal error maps onto a Kafka code with the same retriable flag', async (t) => {
  for (const [code, info] of Object.entries(ProposalErrorCode)) {
    const kafka = table.get(info.kafkaError);
    t.ok(kafka, `${code}: ${info.kafkaError} is in protocol/error-codes.ts`);
    t.equal(info.retriable, kafka?.retriable, `${code} retriable`);
    t.equal(new ProposalError(code as keyof typeof ProposalErrorCode, 'x').retriable,
      info.retriable);
  }
});

t.test('Raft backpressure is retriable with its own code, unlike a policy violation',
  async (t) => {
    const backpressure = new ProposalError('THROTTLING_QUOTA_EXCEEDED', 'full');
    t.equal(backpressure.retriable, true);
    t.equal(errorInfo(ErrorCode.THROTTLING_QUOTA_EXCEEDED).retriable, true);
    t.equal(new ProposalError('POLICY_VIOLATION', 'empty').retriable, false);
    t.equal(errorInfo(ErrorCode.POLICY_VIOLATION).retriable, false);
  });

t.test('every Raft message error and controller error is a Kafka name', async (t) => {
  for (const name of Object.values(RaftError)) t.ok(table.has(name), `RaftError ${name}`);
  for (const name of CONTROLLER_ERROR_NAMES) t.ok(table.has(name), `controller ${name}`);
});
