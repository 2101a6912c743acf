/**
 * Two replica managers in one process, each behind a real client listener (WebSocket on
 * loopback): the follower's fetcher replicates from the leader, acks=-1 completes through it,
 * and after a leader change the old leader's divergent tail is truncated (research D5).
 */
import t from 'tap';
import { listenForClients, type ClientListener } from '../../../broker/api/client-listener.js';
import type { ReplicaManager } from '../../../broker/replica/index.js';
import { isOffsetOutOfRange, type PartitionLog } from '../../../broker/log/index.js';
import { ErrorCode, NO_RESPONSE } from '../../../protocol/index.js';
import {
  batch, call, FakeCluster, produceRequest, tempDir, waitFor,
} from './fixtures/harness.js';

async function listen(serve: () => ReplicaManager | undefined): Promise<ClientListener> {
  return listenForClients({
    host: '127.0.0.1', port: 0, maxFrameBytes: 16 << 20, maxInFlightPerConnection: 100,
    maxConnections: 100, log: () => undefined,
    serve: (request, connection) => serve()?.serve(request, connection) ?? NO_RESPONSE,
  });
}

function bytesOf(log: PartitionLog | undefined, end: number): Buffer {
  if (log === undefined) return Buffer.alloc(0);
  const read = log.read(log.logStartOffset, 1 << 20, end);
  return isOffsetOutOfRange(read) ? Buffer.alloc(0) : Buffer.from(read.bytes);
}

t.test('a follower replicates over the wire, and truncates its divergent tail after a leader change',
  async (t) => {
    const cluster = new FakeCluster();
    const managers = new Map<number, ReplicaManager>();
    const listeners = new Map<number, ClientListener>();
    for (const id of [1, 2]) listeners.set(id, await listen(() => managers.get(id)));
    for (const id of [1, 2]) cluster.registerBroker(id, listeners.get(id)!.port);
    for (const id of [1, 2]) managers.set(id, await cluster.startManager(id, tempDir(t)));
    t.teardown(async () => {
      for (const listener of listeners.values()) await listener.close();
      for (const manager of managers.values()) await manager.close();
    });
    const leader = managers.get(1)!;
    const follower = managers.get(2)!;
    const topicId = cluster.createTopic('orders', [[1, 2]]);

    const acked = await call(leader, 'Produce', produceRequest('orders', 0, batch(['a']), -1));
    t.equal(acked?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NONE, 'acks=-1 via the fetcher');
    await waitFor(() => follower.partition('orders', 0)?.highWatermark === 1, 'the follower HW');
    t.same(bytesOf(follower.partition('orders', 0)?.log, 1),
      bytesOf(leader.partition('orders', 0)?.log, 1), 'the same bytes on both replicas');

    // The leader is cut off and writes records no one else has.
    await listeners.get(1)!.close();
    const lost = await call(leader, 'Produce', produceRequest('orders', 0, batch(['b', 'c']), 1));
    t.equal(lost?.topics[0]?.partitions[0]?.baseOffset, 1);
    t.equal(leader.partition('orders', 0)?.log?.logEndOffset, 3);

    // Broker 2 is elected; broker 1 follows it and must drop offsets 1-2 (KIP-101).
    cluster.electLeader(topicId, 0, 2, [2]);
    const written = await call(follower, 'Produce', produceRequest('orders', 0, batch(['d']), 1));
    t.equal(written?.topics[0]?.partitions[0]?.baseOffset, 1);
    await waitFor(() => leader.partition('orders', 0)?.log?.logEndOffset === 2 &&
      leader.partition('orders', 0)?.log?.latestEpoch() === 1, 'the old leader to converge');
    t.same(bytesOf(leader.partition('orders', 0)?.log, 2),
      bytesOf(follower.partition('orders', 0)?.log, 2), 'logs match after truncation');
    t.ok(cluster.logLines.some((line) => /Truncated orders-0 to 1/.test(line)),
      'truncated at the divergence point');
    await waitFor(() => cluster.image.topics.byId.get(topicId)?.partitions[0]?.isr.length === 2,
      'the new leader to bring the caught-up replica back into the ISR');
    t.same(cluster.image.topics.byId.get(topicId)?.partitions[0]?.isr, [2, 1]);
  });
