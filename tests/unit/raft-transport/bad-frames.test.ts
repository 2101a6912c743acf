import t from 'tap';
import { Packr } from 'msgpackr';
import type { RaftMessage } from '../../../raft/core/types.js';
import {
  CloseCode, TransportErrorCode, createQuorumClient,
} from '../../../raft/transport/index.js';
import type { QuorumClient } from '../../../raft/transport/index.js';
import {
  CLUSTER_ID, HOST, clientHello, closeRaw, peerHello, rawConnect, sampleBodies, startNode, waitFor,
} from './fixtures/harness.js';
import type { Node, RawSocket } from './fixtures/harness.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

const MAX_FRAME_BYTES = 64 * 1024;
const vote: RaftMessage = { from: 2, to: 1, body: sampleBodies()[0]! };
const plainPackr = new Packr({ useRecords: false });

// Node 1 serves; node 2 is a well-behaved peer and a quorum client a well-behaved client, both
// exercised after every bad connection to show that the server keeps serving them.
let server: Node;
let peer: Node;
let client: QuorumClient;

t.before(async () => {
  server = await startNode(1, { limits: { maxFrameBytes: MAX_FRAME_BYTES } });
  peer = await startNode(2, { peers: new Map([[1, server.transport.port]]) });
  server.transport.setPeerAddress(2, { host: HOST, port: peer.transport.port });
  server.transport.setPeerAddress(3, { host: HOST, port: 1 }); // known, never dialled
  server.transport.onRequest((api, payload, reply) => reply({ ok: true, payload }));
  client = createQuorumClient({ bootstrap: [{ host: HOST, port: server.transport.port }],
    clientId: 'good', clusterId: CLUSTER_ID });
});
t.teardown(async () => {
  await client.close();
  await Promise.all([server.transport.close(), peer.transport.close()]);
});

async function othersStillServed(t: TapTest): Promise<void> {
  const before = server.received.length;
  peer.transport.send(vote);
  await waitFor('peer message delivered', () => server.received.length === before + 1);
  t.same(await client.request('echo', { n: before }), { n: before }, 'client still served');
}

async function expectClose(t: TapTest, raw: RawSocket, code: number, what: string) {
  const closed = await raw.closed;
  t.equal(closed.code, code, `${what}: close code ${code} (${closed.reason})`);
  await othersStillServed(t);
}

/** [what, expected close code, counted as a bad frame (else only as a rejection), misbehave] */
const cases: [string, number, boolean, (raw: RawSocket) => void][] = [
  ['malformed msgpack', CloseCode.malformedFrame, true,
    (raw) => raw.sendBytes(Uint8Array.from([0x92, 0x01]))],
  ['a never-used msgpack byte', CloseCode.malformedFrame, true,
    (raw) => raw.sendBytes(Uint8Array.from([0xc1]))],
  ['trailing bytes after the frame', CloseCode.malformedFrame, true,
    (raw) => raw.sendBytes(Uint8Array.from([...plainPackr.pack(peerHello(2)), 0x00]))],
  ['an unknown frame kind', CloseCode.malformedFrame, true,
    (raw) => raw.send({ kind: 'gossip' })],
  ['a text frame', CloseCode.unsupportedData, true, (raw) => raw.sendBytes('hello')],
  ['an oversized frame', CloseCode.messageTooBig, true,
    (raw) => raw.sendBytes(new Uint8Array(MAX_FRAME_BYTES + 1))],
  ['a raft frame before hello', CloseCode.handshakeFailed, false,
    (raw) => raw.send({ kind: 'raft', message: vote })],
  ['a hello with the wrong cluster id', CloseCode.clusterIdMismatch, false,
    (raw) => raw.send(peerHello(2, 'other-cluster'))],
  ['a hello with an unsupported version', CloseCode.malformedFrame, true,
    (raw) => raw.send({ ...peerHello(2), version: 99 })],
  ['a hello from an unknown node', CloseCode.misrouted, false, (raw) => raw.send(peerHello(7))],
  ['a hello claiming to be the server itself', CloseCode.misrouted, false,
    (raw) => raw.send(peerHello(1))],
  ['a second hello', CloseCode.handshakeFailed, false, (raw) => {
    raw.send(peerHello(3));
    raw.send(peerHello(3));
  }],
  ['a spoofed from', CloseCode.spoofedSender, false, (raw) => {
    raw.send(peerHello(3));
    raw.send({ kind: 'raft', message: vote }); // claims node 2 on node 3's connection
  }],
  ['a message for another node', CloseCode.misrouted, false, (raw) => {
    raw.send(peerHello(3));
    raw.send({ kind: 'raft', message: { ...vote, from: 3, to: 2 } });
  }],
  ['a negative offset', CloseCode.malformedFrame, true, (raw) => {
    raw.send(peerHello(3));
    raw.send({ kind: 'raft', message: { from: 3, to: 1, body: { type: 'FetchRequest', epoch: 1,
      replicaId: 3, fetchOffset: -1, lastFetchedEpoch: 0, maxBytes: 100 } } });
  }],
  ['a field of the wrong type', CloseCode.malformedFrame, true, (raw) => {
    raw.send(peerHello(3));
    raw.send({ kind: 'raft', message: { from: 3, to: 1, body: { type: 'FetchResponse',
      epoch: 1, leaderId: 1, error: 'NONE', highWatermark: 1, logStartOffset: 0,
      entries: [{ offset: 0, epoch: 1, kind: 0, data: 'not bytes' }] } } });
  }],
  ['an unknown body type', CloseCode.malformedFrame, true, (raw) => {
    raw.send(peerHello(3));
    raw.send({ kind: 'raft', message: { from: 3, to: 1, body: { type: 'Gossip', epoch: 1 } } });
  }],
  ['a raft frame from a client', CloseCode.unexpectedFrame, false, (raw) => {
    raw.send(clientHello());
    raw.send({ kind: 'raft', message: vote });
  }],
  ['a response frame from the connecting side', CloseCode.unexpectedFrame, false, (raw) => {
    raw.send(clientHello());
    raw.send({ kind: 'response', correlationId: 1, error: 'NONE', payload: null });
  }],
];

for (const [what, code, badFrame, misbehave] of cases) {
  t.test(`the server closes a connection that sends ${what}`, async (t) => {
    const before = server.transport.stats();
    const raw = await rawConnect(server.transport.port);
    t.teardown(() => closeRaw(raw));
    misbehave(raw);
    await expectClose(t, raw, code, what);
    const after = server.transport.stats();
    t.equal(after.badFrames - before.badFrames, badFrame ? 1 : 0, 'bad frames counted');
    const rejected = code === CloseCode.messageTooBig ? 0 : 1; // ws itself closes on 1009
    t.equal(after.rejectedConnections - before.rejectedConnections, rejected, 'rejection counted');
  });
}

t.test('a connection that never says hello is closed after helloTimeoutMs', async (t) => {
  const node = await startNode(5, { limits: { helloTimeoutMs: 50 } });
  const raw = await rawConnect(node.transport.port);
  t.teardown(async () => {
    await closeRaw(raw);
    await node.transport.close();
  });
  t.equal((await raw.closed).code, CloseCode.handshakeFailed);
});

t.test('an invalid request with a readable correlation id gets an error response', async (t) => {
  const raw = await rawConnect(server.transport.port);
  t.teardown(() => closeRaw(raw));
  raw.send(clientHello());
  raw.send({ kind: 'request', correlationId: 42, api: 17, payload: null });
  raw.send({ kind: 'request', correlationId: 43, api: 'echo', payload: 'fine' });
  await waitFor('two responses', () => raw.frames.length === 2);
  t.match(raw.frames[0], { kind: 'response', correlationId: 42,
    error: TransportErrorCode.invalidRequest.code });
  t.match(raw.frames[1], { kind: 'response', correlationId: 43, error: 'NONE', payload: 'fine' });
  t.equal(raw.socket.readyState, raw.socket.OPEN, 'the connection stays open');
  await othersStillServed(t);
});

t.test('the well-behaved peer saw no disconnect and no drops meanwhile', async (t) => {
  // Connections that identified as node 3 and were then closed do signal node 3; never 2.
  t.notOk(server.disconnects.includes(2));
  t.same(peer.disconnects, []);
  t.equal(peer.transport.stats().peers[0]!.messagesDropped, 0);
});
