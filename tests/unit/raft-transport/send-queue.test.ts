import t from 'tap';
import type { RaftMessage } from '../../../raft/core/types.js';
import { backoffDelayMs } from '../../../raft/transport/backoff.js';
import { DropOldestQueue } from '../../../raft/transport/bounded-queue.js';
import { startNode, waitFor } from './fixtures/harness.js';
import type { Node } from './fixtures/harness.js';

t.test('DropOldestQueue keeps FIFO order and drops the oldest when full', async (t) => {
  const queue = new DropOldestQueue<number>(3);
  t.equal(queue.push(1), undefined);
  queue.push(2);
  queue.push(3);
  t.equal(queue.push(4), 1, 'returns the dropped element');
  t.equal(queue.length, 3);
  t.same([queue.shift(), queue.shift(), queue.shift(), queue.shift()], [2, 3, 4, undefined]);
  for (let i = 0; i < 10; i++) queue.push(i);
  t.same([queue.peek(), queue.length], [7, 3], 'wraps around');
});

t.test('reconnect backoff doubles up to its maximum, with jitter in [d/2, d]', async (t) => {
  const options = { initialMs: 50, maxMs: 1000 };
  const low = (attempt: number) => backoffDelayMs(attempt, { ...options, random: () => 0 });
  const high = (attempt: number) => backoffDelayMs(attempt, { ...options, random: () => 1 });
  t.same([0, 1, 2, 3, 4, 5, 100].map(high), [50, 100, 200, 400, 800, 1000, 1000]);
  t.same([0, 1, 5].map(low), [25, 50, 500]);
});

function vote(epoch: number): RaftMessage {
  return { from: 1, to: 2, body: { type: 'BeginQuorumEpochRequest', epoch, leaderId: 1 } };
}

t.test('while the peer is down the send queue keeps the newest messages (drop oldest)',
  async (t) => {
    // Reserve an ephemeral port for node 2, then take node 2 down.
    const probe = await startNode(2);
    const port = probe.transport.port;
    await probe.transport.close();
    const a = await startNode(1, {
      peers: new Map([[2, port]]),
      limits: { maxQueuedMessagesPerPeer: 4, reconnectBackoffInitialMs: 10,
        reconnectBackoffMaxMs: 50 },
    });
    let b: Node | undefined;
    t.teardown(() => Promise.all([a.transport.close(), b?.transport.close()]));
    for (let epoch = 0; epoch < 10; epoch++) a.transport.send(vote(epoch));
    const stats = () => a.transport.stats().peers.find((p) => p.nodeId === 2)!;
    t.equal(stats().messagesDropped, 6);
    t.equal(stats().queuedMessages, 4);
    await waitFor('a failed connection attempt', () => stats().connectAttempts >= 2);

    b = await startNode(2, { port, peers: new Map([[1, a.transport.port]]) });
    await waitFor('queued messages delivered', () => b!.received.length === 4);
    t.same(b.received.map((m) => m.body.epoch), [6, 7, 8, 9]);
    t.equal(stats().queuedMessages, 0);
    t.equal(stats().messagesSent, 4);
  });

t.test('the queue is also bounded by bytes', async (t) => {
  const probe = await startNode(2);
  const port = probe.transport.port;
  await probe.transport.close();
  const a = await startNode(1, {
    peers: new Map([[2, port]]),
    limits: { maxFrameBytes: 64 * 1024, maxQueuedBytesPerPeer: 100 * 1024 },
  });
  t.teardown(() => a.transport.close());
  const data = new Uint8Array(30 * 1024);
  for (let i = 0; i < 5; i++) {
    a.transport.send({ from: 1, to: 2, body: { type: 'FetchSnapshotResponse', epoch: 1,
      leaderId: 1, error: 'NONE', snapshotId: { endOffset: 1, epoch: 1 }, size: 1,
      position: 0, bytes: data } });
  }
  const peer = a.transport.stats().peers[0]!;
  t.equal(peer.queuedMessages, 3, 'three 30 KiB snapshots fit in 100 KiB');
  t.equal(peer.messagesDropped, 2);
});
