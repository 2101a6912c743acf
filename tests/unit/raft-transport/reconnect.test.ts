import t from 'tap';
import type { RaftMessage } from '../../../raft/core/types.js';
import { CloseCode } from '../../../raft/transport/index.js';
import {
  closeRaw, peerHello, rawConnect, sampleBodies, startNode, startPair, waitFor,
} from './fixtures/harness.js';

const vote = sampleBodies()[0]!;
const from1: RaftMessage = { from: 1, to: 2, body: vote };
const from2: RaftMessage = { from: 2, to: 1, body: vote };

function peerStats(node: { transport: { stats(): { peers: readonly { nodeId: number }[] } } }) {
  return node.transport.stats().peers.find((p) => p.nodeId === 2) as unknown as {
    connected: boolean; reconnects: number; connectAttempts: number; disconnects: number;
  };
}

t.test('a transport reconnects after its peer closes and restarts on the same port', async (t) => {
  const [a, b] = await startPair();
  let b2: Awaited<ReturnType<typeof startNode>> | undefined;
  t.teardown(() => Promise.all([a.transport.close(), b.transport.close(), b2?.transport.close()]));
  a.transport.send(from1);
  await waitFor('first delivery', () => b.received.length === 1);
  const port = b.transport.port;
  await b.transport.close();
  await waitFor('outbound close noticed', () => !peerStats(a).connected);

  b2 = await startNode(2, { port, peers: new Map([[1, a.transport.port]]) });
  await waitFor('reconnected', () => peerStats(a).connected, 5_000);
  a.transport.send(from1);
  await waitFor('delivery after restart', () => b2!.received.length === 1);
  t.equal(peerStats(a).reconnects, 1);
  t.same(b2.received[0], from1);
});

t.test('onPeerDisconnected fires once per closed connection, not per failed attempt',
  async (t) => {
    const [a, b] = await startPair({ reconnectBackoffInitialMs: 10, reconnectBackoffMaxMs: 40 });
    let b2: Awaited<ReturnType<typeof startNode>> | undefined;
    t.teardown(() =>
      Promise.all([a.transport.close(), b.transport.close(), b2?.transport.close()]));
    a.transport.send(from1); // a -> b outbound connection
    b.transport.send(from2); // b -> a, an inbound connection at a
    await waitFor('both directions up', () => a.received.length === 1 && b.received.length === 1);
    t.same(a.disconnects, []);

    const port = b.transport.port;
    await b.transport.close();
    // Two established connections to node 2 closed: our outbound one and its inbound one.
    await waitFor('two disconnect signals', () => a.disconnects.length === 2);
    t.same(a.disconnects, [2, 2]);
    t.same(b.disconnects, [], 'no signal on the side that closes');

    // While node 2 is down, node 1 keeps retrying; failed attempts signal nothing.
    const attempts = peerStats(a).connectAttempts;
    await waitFor('several failed attempts', () => peerStats(a).connectAttempts >= attempts + 4);
    t.equal(a.disconnects.length, 2);

    b2 = await startNode(2, { port, peers: new Map([[1, a.transport.port]]) });
    await waitFor('reconnected', () => peerStats(a).connected);
    t.equal(a.disconnects.length, 2, 'a successful reconnect signals nothing');
    await b2.transport.close();
    await waitFor('outbound closed again', () => a.disconnects.length === 3);
    t.equal(peerStats(a).disconnects, 3);
  });

t.test('a second inbound connection from the same peer supersedes the first silently',
  async (t) => {
    const b = await startNode(2, { peers: new Map([[1, 1]]) });
    const first = await rawConnect(b.transport.port);
    const second = await rawConnect(b.transport.port);
    t.teardown(async () => {
      await Promise.all([closeRaw(first), closeRaw(second)]);
      await b.transport.close();
    });
    first.send(peerHello(1));
    first.send({ kind: 'raft', message: from1 });
    await waitFor('delivery on the first connection', () => b.received.length === 1);
    second.send(peerHello(1));
    const closed = await first.closed;
    t.equal(closed.code, CloseCode.superseded);
    second.send({ kind: 'raft', message: from1 });
    await waitFor('delivery on the second connection', () => b.received.length === 2);
    t.same(b.disconnects, [], 'a superseded connection does not signal');
    await closeRaw(second);
    await waitFor('signal for the live connection', () => b.disconnects.length === 1);
  });
