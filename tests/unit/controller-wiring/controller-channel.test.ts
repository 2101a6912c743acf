/**
 * The broker's ControllerChannel against a scripted controller: replies are validated before
 * use, a malformed one is retried like a network error, and outcomes are told apart by their
 * numeric code and retriable flag (Kafka's NodeToControllerChannelManager, KIP-590).
 */
import t from 'tap';
import { ControllerChannel } from '../../../broker/controller-channel.js';
import {
  ControllerApi, encodeControllerReply, NO_ERROR, wireError, type ControllerOutcome,
} from '../../../protocol/controller/index.js';
import { ErrorCode } from '../../../protocol/error-codes.js';
import { CLUSTER_ID, HOST, startNode } from '../raft-transport/fixtures/harness.js';

const registration = {
  brokerId: 100, clusterId: CLUSTER_ID, incarnationId: 'x7kqzQW9TjGfMX8XqXKqLw', listeners: [],
  rack: null, logDirs: [],
};
const register = ControllerApi.registerBroker;
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

/** Controller 1 answers the nth registerBroker with `script(n)` (the last one from then on). */
async function scriptedController(t: Tap, script: readonly unknown[], clusterId = CLUSTER_ID) {
  const node = await startNode(1);
  let served = 0;
  node.transport.onRequest((_api, _payload, reply) => {
    const payload = script[Math.min(served, script.length - 1)];
    served += 1;
    reply({ ok: true, payload });
  });
  const channel = new ControllerChannel({
    voters: new Map([[1, { host: HOST, port: node.transport.port }]]),
    clientId: 'broker-100', clusterId,
  });
  t.teardown(async () => {
    await channel.close();
    await node.transport.close();
  });
  return { channel, served: () => served };
}

function reply(outcome: ControllerOutcome<typeof register>, leaderId = 1): unknown {
  return encodeControllerReply(register, leaderId, outcome);
}

t.test('a valid reply comes back with its fields', async (t) => {
  const epochSeven = reply({ ok: true, fields: { brokerEpoch: 7 } });
  const { channel } = await scriptedController(t, [epochSeven]);
  const answer = await channel.call(register, registration, 2_000);
  t.strictSame(answer, { ...NO_ERROR, leaderId: 1, brokerEpoch: 7 });
});

t.test('a malformed reply is retried like a network error, then a good one is used',
  async (t) => {
    const { channel, served } = await scriptedController(t, [
      { ...NO_ERROR, leaderId: 1, brokerEpoch: 'seven' },
      reply({ ok: true, fields: { brokerEpoch: 7 } }),
    ]);
    const answer = await channel.call(register, registration, 5_000);
    t.equal(answer.errorCode, ErrorCode.NONE);
    t.equal(answer.brokerEpoch, 7);
    t.equal(served(), 2, 'asked again after the malformed reply');
  });

t.test('a reply that stays malformed times out with a message naming the field', async (t) => {
  const { channel } = await scriptedController(t, [{ ...NO_ERROR, leaderId: 1 }]);
  const answer = await channel.call(register, registration, 300);
  t.equal(answer.errorCode, ErrorCode.REQUEST_TIMED_OUT);
  t.equal(answer.retriable, true);
  t.match(answer.message, 'NETWORK_EXCEPTION Invalid registerBroker reply: payload.brokerEpoch:');
  t.equal(answer.brokerEpoch, undefined, 'no fields on a failure');
});

t.test('backpressure (THROTTLING_QUOTA_EXCEEDED) is retried until the write goes through',
  async (t) => {
    const throttled = wireError('THROTTLING_QUOTA_EXCEEDED', 'retry once the quorum catches up');
    const { channel, served } = await scriptedController(t, [
      reply({ ok: false, error: throttled }), reply({ ok: false, error: throttled }),
      reply({ ok: true, fields: { brokerEpoch: 9 } }),
    ]);
    const answer = await channel.call(register, registration, 5_000);
    t.equal(answer.errorCode, ErrorCode.NONE);
    t.equal(answer.brokerEpoch, 9);
    t.equal(served(), 3);
  });

t.test('a non-retriable error is the answer at once', async (t) => {
  const duplicate = wireError('DUPLICATE_BROKER_REGISTRATION', 'in use');
  const { channel, served } = await scriptedController(t, [reply({ ok: false, error: duplicate })]);
  const answer = await channel.call(register, registration, 5_000);
  t.strictSame(answer, { ...duplicate, leaderId: 1 });
  t.equal(served(), 1);
});

t.test('a quorum of another cluster is INCONSISTENT_CLUSTER_ID at once, not a timeout',
  async (t) => {
    const { channel, served } = await scriptedController(t, [reply({ ok: true,
      fields: { brokerEpoch: 1 } })], 'another-cluster');
    const started = Date.now();
    const answer = await channel.call(register, registration, 5_000);
    t.equal(answer.errorCode, ErrorCode.INCONSISTENT_CLUSTER_ID);
    t.equal(answer.retriable, false);
    t.ok(Date.now() - started < 4_000, 'not retried until the deadline');
    t.equal(served(), 0, 'the handshake refused us before any request');
  });
