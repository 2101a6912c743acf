import t from 'tap';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { RaftMessage } from '../../../raft/core/types.js';
import { CloseCode } from '../../../raft/transport/index.js';
import { encodeFrame } from '../../../raft/transport/frame-codec.js';
import {
  HOST, closeRaw, peerHello, rawConnect, startNode, waitFor,
} from './fixtures/harness.js';
import type { Node, RawSocket } from './fixtures/harness.js';

// Node 1 is a voter; node 100 (and up) are observers: brokers following the metadata log, which
// know the voters (controller.quorum.voters) but whose addresses the voters do not know.
const OBSERVER = 100;

function fetchRequest(from: number, to: number): RaftMessage {
  return { from, to, body: { type: 'FetchRequest', epoch: 4, replicaId: from, fetchOffset: 10,
    lastFetchedEpoch: 3, maxBytes: 1 << 20 } };
}

function fetchResponse(from: number, to: number): RaftMessage {
  return { from, to, body: { type: 'FetchResponse', epoch: 4, leaderId: 1, error: 'NONE',
    highWatermark: 11, logStartOffset: 0,
    entries: [{ offset: 10, epoch: 4, kind: 0, data: Uint8Array.from([1, 2, 3]) }] } };
}

/** An observer transport that listens on an ephemeral port it never tells the voter. */
function startObserver(voter: Node, nodeId = OBSERVER): Promise<Node> {
  return startNode(nodeId, { peers: new Map([[1, voter.transport.port]]) });
}

t.test('an observer fetches from a voter that has no address for it (KIP-595)', async (t) => {
  const voter = await startNode(1, { acceptObservers: true });
  const observer = await startObserver(voter);
  t.teardown(() => Promise.all([voter.transport.close(), observer.transport.close()]));

  voter.transport.send(fetchResponse(1, OBSERVER));
  t.equal(voter.transport.stats().unroutableMessages, 1, 'no route before the observer dials');

  for (let round = 1; round <= 3; round++) {
    observer.transport.send(fetchRequest(OBSERVER, 1));
    await waitFor(`fetch ${round} at the voter`, () => voter.received.length === round);
    voter.transport.send(fetchResponse(1, OBSERVER));
    await waitFor(`response ${round} at the observer`, () => observer.received.length === round);
  }
  t.same(voter.received, [1, 2, 3].map(() => fetchRequest(OBSERVER, 1)));
  t.match(observer.received[0], { from: 1, to: OBSERVER, body: { type: 'FetchResponse' } });

  const voterStats = voter.transport.stats();
  t.equal(voterStats.observerConnections, 1);
  t.equal(voterStats.observerMessagesReceived, 3);
  t.equal(voterStats.observerMessagesSent, 3);
  t.equal(voterStats.observerMessagesDropped, 0);
  t.same(voterStats.peers, [], 'the voter never dials the observer');
  const linkStats = observer.transport.stats().peers.find((p) => p.nodeId === 1)!;
  t.equal(linkStats.messagesSent, 3);
  t.equal(linkStats.messagesReceived, 3, 'replies arrive on the outbound link');
  t.equal(observer.transport.stats().inboundConnections, 0, 'nobody dials the observer');
});

t.test('a voter without acceptObservers refuses an unknown node id (4004)', async (t) => {
  const voter = await startNode(1);
  const raw = await rawConnect(voter.transport.port);
  t.teardown(async () => {
    await closeRaw(raw);
    await voter.transport.close();
  });
  raw.send(peerHello(OBSERVER));
  t.equal((await raw.closed).code, CloseCode.misrouted);
  voter.transport.send(fetchResponse(1, OBSERVER));
  const stats = voter.transport.stats();
  t.equal(stats.unroutableMessages, 1);
  t.equal(stats.observerConnections, 0);
  t.same(voter.disconnects, [], 'a refused hello was never established');
});

t.test('a hello claiming a configured peer id is that peer: node ids are trusted, no auth',
  async (t) => {
    const peer2 = await startNode(2, { peers: new Map([[1, 1]]) }); // port fixed below
    const voter = await startNode(1, { acceptObservers: true,
      peers: new Map([[2, peer2.transport.port]]) });
    peer2.transport.setPeerAddress(1, { host: HOST, port: voter.transport.port });
    const impostor = await rawConnect(voter.transport.port);
    t.teardown(async () => {
      await closeRaw(impostor);
      await Promise.all([voter.transport.close(), peer2.transport.close()]);
    });
    impostor.send(peerHello(2));
    impostor.send({ kind: 'raft', message: fetchRequest(2, 1) });
    await waitFor('delivery as node 2', () => voter.received.length === 1);
    t.same(voter.received[0], fetchRequest(2, 1));
    const stats = voter.transport.stats();
    t.equal(stats.observerConnections, 0, 'not an observer');
    t.match(stats.peers.find((p) => p.nodeId === 2), { messagesReceived: 1,
      inboundConnected: true });
    // Replies to a configured peer take the outbound link to its configured address.
    voter.transport.send(fetchResponse(1, 2));
    await waitFor('reply at the real node 2', () => peer2.received.length === 1);
    t.same(impostor.frames, [], 'nothing went back on the impostor\'s connection');
  });

t.test('at most maxObserverConnections observers; a reconnecting one needs no room',
  async (t) => {
    const voter = await startNode(1, { acceptObservers: true,
      limits: { maxObserverConnections: 2 } });
    const raws: RawSocket[] = [];
    t.teardown(async () => {
      await Promise.all(raws.map(closeRaw));
      await voter.transport.close();
    });
    const connect = async (nodeId: number): Promise<RawSocket> => {
      const raw = await rawConnect(voter.transport.port);
      raws.push(raw);
      raw.send(peerHello(nodeId));
      return raw;
    };
    const delivered = async (raw: RawSocket, nodeId: number) => {
      const before = voter.received.length;
      raw.send({ kind: 'raft', message: fetchRequest(nodeId, 1) });
      await waitFor(`delivery from ${nodeId}`, () => voter.received.length === before + 1);
    };
    const first = await connect(100);
    await delivered(first, 100);
    const second = await connect(101);
    await delivered(second, 101);
    const before = voter.transport.stats().rejectedConnections;

    const third = await connect(102);
    t.equal((await third.closed).code, CloseCode.tryAgainLater, 'over the limit');
    t.equal(voter.transport.stats().rejectedConnections, before + 1);
    t.equal(voter.transport.stats().observerConnections, 2);

    const again = await connect(100);
    t.equal((await first.closed).code, CloseCode.superseded, 'the old connection is replaced');
    await delivered(again, 100);
    t.equal(voter.transport.stats().observerConnections, 2);

    await closeRaw(second);
    await waitFor('room again', () => voter.transport.stats().observerConnections === 1);
    const fourth = await connect(102);
    await delivered(fourth, 102);
    t.same(voter.disconnects, [101], 'only the closed observer signalled');
  });

t.test('onPeerDisconnected fires once when an observer\'s connection closes', async (t) => {
  const voter = await startNode(1, { acceptObservers: true });
  const observer = await startObserver(voter);
  t.teardown(() => Promise.all([voter.transport.close(), observer.transport.close()]));
  observer.transport.send(fetchRequest(OBSERVER, 1));
  await waitFor('fetch at the voter', () => voter.received.length === 1);
  await observer.transport.close();
  await waitFor('disconnect signal', () => voter.disconnects.length === 1);
  await waitFor('observer gone', () => voter.transport.stats().observerConnections === 0);
  // One more connection through the same event loop, so a late duplicate would have shown.
  const probe = await rawConnect(voter.transport.port);
  t.teardown(() => closeRaw(probe));
  probe.send(peerHello(101));
  probe.send({ kind: 'raft', message: fetchRequest(101, 1) });
  await waitFor('probe delivered', () => voter.received.length === 2);
  t.same(voter.disconnects, [OBSERVER]);
  t.same(observer.disconnects, [], 'no signal on the side that closes');
  voter.transport.send(fetchResponse(1, OBSERVER));
  t.equal(voter.transport.stats().unroutableMessages, 1, 'no route once it left');
});

/** A fake voter 1: answers each hello on a socket with the frames `reply` returns. */
async function fakeVoter(reply: (connection: number) => RaftMessage[]) {
  const wss = new WebSocketServer({ host: HOST, port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const closeCodes: number[] = [];
  let connections = 0;
  wss.on('connection', (socket: WebSocket) => {
    const connection = ++connections;
    socket.on('error', () => undefined);
    socket.on('close', (code) => closeCodes.push(code));
    socket.once('message', () => {
      for (const message of reply(connection)) socket.send(encodeFrame({ kind: 'raft', message }));
    });
  });
  return {
    port: (wss.address() as AddressInfo).port,
    closeCodes,
    get connections() {
      return connections;
    },
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

t.test('a spoofed from on an outbound link closes that socket (4003) and it reconnects',
  async (t) => {
    // First connection: a good reply, then one claiming node 7. Later ones: good replies.
    const voter = await fakeVoter((connection) => connection === 1
      ? [fetchResponse(1, OBSERVER), fetchResponse(7, OBSERVER)]
      : [fetchResponse(1, OBSERVER)]);
    const observer = await startNode(OBSERVER, { peers: new Map([[1, voter.port]]),
      limits: { reconnectBackoffInitialMs: 10, reconnectBackoffMaxMs: 40 } });
    t.teardown(async () => {
      await observer.transport.close();
      await voter.close();
    });
    observer.transport.send(fetchRequest(OBSERVER, 1));
    await waitFor('the link closed', () => voter.closeCodes.length === 1);
    t.same(voter.closeCodes, [CloseCode.spoofedSender]);
    t.equal(observer.received.length, 1, 'the good reply before the spoof was delivered');
    t.match(observer.received[0], { from: 1, to: OBSERVER });
    t.same(observer.disconnects, [1]);

    observer.transport.send(fetchRequest(OBSERVER, 1));
    await waitFor('a reply on the new socket', () => observer.received.length === 2);
    t.equal(voter.connections, 2);
    t.equal(observer.transport.stats().badFrames, 0, 'a valid frame from the wrong node');
  });
