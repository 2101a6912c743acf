import t from 'tap';
import {
  TransportError, TransportErrorCode, createQuorumClient,
} from '../../../raft/transport/index.js';
import type { RequestResult } from '../../../raft/transport/index.js';
import { CLUSTER_ID, HOST, startNode, waitFor } from './fixtures/harness.js';
import type { Node } from './fixtures/harness.js';

/** A server with 'echo' (replies at once), 'hold' (replies when released) and 'never'. */
async function startServer(options: { port?: number; maxInFlight?: number } = {}) {
  const node = await startNode(1, {
    ...(options.port === undefined ? {} : { port: options.port }),
    limits: { maxInFlightRequestsPerConnection: options.maxInFlight ?? 128 },
  });
  const held: ((result: RequestResult) => void)[] = [];
  const clients: string[] = [];
  node.transport.onRequest((api, payload, reply, connection) => {
    if (connection.identity.kind === 'client') clients.push(connection.identity.clientId);
    if (api === 'echo') reply({ ok: true, payload });
    else if (api === 'hold') held.push(reply);
    else if (api !== 'never') {
      reply({ ok: false, error: TransportErrorCode.unsupportedApi, message: api });
    }
  });
  return { node, held, clients };
}

function clientFor(node: Node, extra: { clusterId?: string; timeoutMs?: number } = {}) {
  return createQuorumClient({
    bootstrap: [{ host: HOST, port: node.transport.port }],
    clientId: 'tester',
    ...(extra.clusterId === undefined ? {} : { clusterId: extra.clusterId }),
  });
}

async function rejection(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TransportError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

t.test('many requests in flight on one connection are matched by correlation id', async (t) => {
  const { node, clients } = await startServer();
  const client = clientFor(node);
  t.teardown(async () => {
    await client.close();
    await node.transport.close();
  });
  const payloads = Array.from({ length: 500 }, (_, i) => ({ i, data: new Uint8Array([i & 255]) }));
  const results = await Promise.all(payloads.map((p) => client.request('echo', p)));
  t.same(results.map((r) => (r as { i: number }).i), payloads.map((p) => p.i));
  t.ok((results[7] as { data: unknown }).data instanceof Uint8Array, 'bytes stay bytes');
  t.equal(client.stats().connects, 1, 'one connection');
  t.equal(clients[0], 'tester', 'handler sees the client id');
  t.equal(node.transport.stats().responsesSent, 500);
});

t.test('a request without a response in time rejects with REQUEST_TIMED_OUT', async (t) => {
  const { node } = await startServer();
  const client = clientFor(node);
  t.teardown(async () => {
    await client.close();
    await node.transport.close();
  });
  const error = await rejection(client.request('never', null, { timeoutMs: 50 }));
  t.equal(error.code, TransportErrorCode.requestTimedOut.code);
  t.equal(error.retriable, true);
  t.same(await client.request('echo', 1), 1, 'the connection is still usable');
  t.equal(client.stats().inFlight, 0);
});

t.test('over maxInFlightRequestsPerConnection the server answers a backpressure error',
  async (t) => {
    const { node, held } = await startServer({ maxInFlight: 4 });
    const client = clientFor(node);
    t.teardown(async () => {
      await client.close();
      await node.transport.close();
    });
    const holding = Array.from({ length: 4 }, (_, i) => client.request('hold', i));
    await waitFor('four held requests', () => held.length === 4);
    const error = await rejection(client.request('hold', 4));
    t.equal(error.code, TransportErrorCode.tooManyInFlightRequests.code);
    t.equal(error.retriable, true);
    held.forEach((reply, i) => reply({ ok: true, payload: i * 10 }));
    t.same(await Promise.all(holding), [0, 10, 20, 30]);
    t.same(await client.request('echo', 'after'), 'after', 'slots are released');
    t.equal(node.transport.stats().requestsRejected, 1);
  });

t.test('a handler error code reaches the caller with its retriable flag', async (t) => {
  const { node } = await startServer();
  const client = clientFor(node);
  t.teardown(async () => {
    await client.close();
    await node.transport.close();
  });
  const error = await rejection(client.request('propose', {}));
  t.equal(error.code, TransportErrorCode.unsupportedApi.code);
  t.equal(error.retriable, false);
});

t.test('a server without a handler answers SERVICE_NOT_READY (retriable)', async (t) => {
  const node = await startNode(1);
  const client = clientFor(node);
  t.teardown(async () => {
    await client.close();
    await node.transport.close();
  });
  const error = await rejection(client.request('describeQuorum', null));
  t.equal(error.code, TransportErrorCode.notReady.code);
  t.equal(error.retriable, true);
});

t.test('a disconnect rejects pending requests as retriable; the next request reconnects',
  async (t) => {
    const first = await startServer();
    const port = first.node.transport.port;
    const client = clientFor(first.node);
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    t.teardown(async () => {
      await client.close();
      await Promise.all([first.node.transport.close(), second?.node.transport.close()]);
    });
    const pending = [client.request('hold', 1), client.request('never', 2)].map(rejection);
    await waitFor('request held', () => first.held.length === 1);
    await first.node.transport.close();
    for (const error of await Promise.all(pending)) {
      t.equal(error.code, TransportErrorCode.networkException.code);
      t.equal(error.retriable, true);
    }
    const refused = await rejection(client.request('echo', 'nobody listens'));
    t.equal(refused.code, TransportErrorCode.networkException.code, 'connect failure too');

    second = await startServer({ port });
    t.same(await client.request('echo', 'back'), 'back');
    t.equal(client.stats().connects, 3);
  });

t.test('a client of another cluster is refused with INCONSISTENT_CLUSTER_ID', async (t) => {
  const { node } = await startServer();
  const wrong = clientFor(node, { clusterId: 'another-cluster' });
  const right = clientFor(node, { clusterId: CLUSTER_ID });
  t.teardown(async () => {
    await Promise.all([wrong.close(), right.close()]);
    await node.transport.close();
  });
  const error = await rejection(wrong.request('echo', 1));
  t.equal(error.code, TransportErrorCode.inconsistentClusterId.code);
  t.equal(error.retriable, false);
  t.same(await right.request('echo', 2), 2);
});

t.test('close() rejects pending requests with CLIENT_CLOSED and refuses new ones', async (t) => {
  const { node } = await startServer();
  const client = clientFor(node);
  t.teardown(() => node.transport.close());
  const pending = rejection(client.request('never', null));
  await client.close();
  t.equal((await pending).code, TransportErrorCode.clientClosed.code);
  t.equal((await rejection(client.request('echo', 1))).code,
    TransportErrorCode.clientClosed.code);
});

t.test('replying twice is a bug and asserts', async (t) => {
  const node = await startNode(1);
  let replyTwice: (() => void) | undefined;
  node.transport.onRequest((_api, payload, reply) => {
    reply({ ok: true, payload });
    replyTwice = () => reply({ ok: true, payload });
  });
  const client = clientFor(node);
  t.teardown(async () => {
    await client.close();
    await node.transport.close();
  });
  await client.request('echo', 1);
  t.throws(() => replyTwice!(), { name: 'AssertionFailure' });
});

t.test('requests and responses over maxFrameBytes fail with FRAME_TOO_LARGE', async (t) => {
  const node = await startNode(1, { limits: { maxFrameBytes: 4096 } });
  node.transport.onRequest((_api, payload, reply) => {
    reply({ ok: true, payload: new Uint8Array(payload as number) });
  });
  const client = createQuorumClient({ bootstrap: [{ host: HOST, port: node.transport.port }],
    clientId: 'tester', maxFrameBytes: 4096 });
  t.teardown(async () => {
    await client.close();
    await node.transport.close();
  });
  const tooBigRequest = await rejection(client.request('echo', new Uint8Array(5000)));
  t.equal(tooBigRequest.code, TransportErrorCode.frameTooLarge.code, 'caught by the client');
  const tooBigResponse = await rejection(client.request('bytes', 5000));
  t.equal(tooBigResponse.code, TransportErrorCode.frameTooLarge.code, 'replaced by the server');
  t.equal(((await client.request('bytes', 100)) as Uint8Array).byteLength, 100);
});
