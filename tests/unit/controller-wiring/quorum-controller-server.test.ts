import t from 'tap';
import type { ImageSummary } from '../../../server/controller/image-summary.js';
import { encodeRecords } from '../../../metadata/index.js';
import {
  ControllerApi, decodeControllerReply, type ControllerApiName,
} from '../../../protocol/controller/index.js';
import { InProcessQuorum, pollUntil } from './fixtures.js';

interface TopicsReply {
  readonly topics: readonly {
    readonly name: string; readonly error: string; readonly errorCode: number;
    readonly message: string; readonly topicId?: string;
  }[];
}

const BROKER = {
  brokerId: 100,
  incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' }],
  rack: null,
  logDirs: ['AAAAAAAAAAAAAAAAAAAAAg'],
};

let quorum: InProcessQuorum;

t.before(async () => {
  quorum = await InProcessQuorum.start(3);
});

t.teardown(async () => {
  if (process.env.RAFTKA_TEST_ECHO === '1') console.log(quorum.lines.join('\n'));
  await quorum.close();
});

/** Waits until every running controller has the same image with `check` true, and returns it. */
async function convergedImage(check: (image: ImageSummary) => boolean): Promise<ImageSummary> {
  return await pollUntil('the same image on every controller', async () => {
    const images = await Promise.all([...quorum.servers.keys()].map((id) => quorum.image(id)));
    const first = images[0];
    if (first === undefined || !check(first)) return undefined;
    return images.every((image) => image.imageHash === first.imageHash) ? first : undefined;
  }, 10_000);
}

t.test('the first active controller writes metadata.version from bootstrap.checkpoint',
  async (t) => {
    const image = await convergedImage((i) => i.features['metadata.version'] !== undefined);
    t.ok((image.features['metadata.version'] ?? 0) > 0);
  });

t.test('a registered broker is unfenced once its metadata offset reaches its epoch (KIP-631)',
  async (t) => {
    const registered = await quorum.request<{ brokerEpoch: number }>('registerBroker', {
      ...BROKER, clusterId: quorum.clusterId,
    });
    t.equal(registered.error, 'NONE', registered.message);
    const brokerEpoch = registered.brokerEpoch!;
    t.ok(brokerEpoch >= 0);
    const heartbeat = (offset: number): ReturnType<typeof quorum.request<{ isFenced: boolean }>> =>
      quorum.request('brokerHeartbeat', {
        brokerId: BROKER.brokerId, brokerEpoch, currentMetadataOffset: offset,
        wantFence: false, wantShutDown: false,
      });
    const behind = await heartbeat(brokerEpoch - 1);
    t.equal(behind.error, 'NONE', behind.message);
    t.equal(behind.isFenced, true, 'still fenced while behind its registration');
    const caughtUp = await heartbeat(brokerEpoch);
    t.equal(caughtUp.error, 'NONE', caughtUp.message);
    t.equal(caughtUp.isFenced, false, 'unfenced once caught up');
    const image = await convergedImage((i) => i.brokers.some((b) => !b.fenced));
    t.same(image.brokers,
      [{ brokerId: 100, brokerEpoch, fenced: false, inControlledShutdown: false }]);
    const stale = await quorum.request('brokerHeartbeat', {
      brokerId: BROKER.brokerId, brokerEpoch: brokerEpoch + 1000, currentMetadataOffset: 0,
      wantFence: false, wantShutDown: false,
    });
    t.equal(stale.error, 'STALE_BROKER_EPOCH');
    t.equal(stale.errorCode, 77);
  });

t.test('createTopics on the active controller shows the same partitions everywhere', async (t) => {
  const reply = await quorum.request<TopicsReply>('createTopics', {
    topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 1 }],
  });
  t.equal(reply.error, 'NONE', reply.message);
  t.match(reply.topics, [{ name: 'orders', error: 'NONE', errorCode: 0 }]);
  const image = await convergedImage((i) => i.topics.some((topic) => topic.name === 'orders'));
  const orders = image.topics.find((topic) => topic.name === 'orders')!;
  t.equal(orders.topicId, reply.topics?.[0]?.topicId);
  t.equal(orders.partitions.length, 3);
  for (const partition of orders.partitions) {
    t.same(partition.replicas, [100]);
    t.same(partition.isr, [100]);
    t.equal(partition.leader, 100);
  }
});

t.test('a duplicate create gets TOPIC_ALREADY_EXISTS', async (t) => {
  const reply = await quorum.request<TopicsReply>('createTopics', {
    topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 1 }],
  });
  t.equal(reply.error, 'NONE');
  t.match(reply.topics, [{
    name: 'orders', error: 'TOPIC_ALREADY_EXISTS', errorCode: 36,
    message: "Topic 'orders' already exists.",
  }]);
});

t.test('a replication factor above the unfenced brokers gets INVALID_REPLICATION_FACTOR',
  async (t) => {
    const reply = await quorum.request<TopicsReply>('createTopics', {
      topics: [{ name: 'wide', numPartitions: 1, replicationFactor: 3 }],
    });
    t.match(reply.topics, [{
      name: 'wide', error: 'INVALID_REPLICATION_FACTOR', errorCode: 38,
      message: 'Unable to replicate the partition 3 time(s): The target replication factor of 3 ' +
        'cannot be reached because only 1 broker(s) are registered.',
    }]);
  });

t.test('concurrent writes land at the offsets the controller predicted', async (t) => {
  const names = Array.from({ length: 20 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
  const replies = await Promise.all(names.map((name) => quorum.request<TopicsReply>(
    'createTopics', { topics: [{ name, numPartitions: 1, replicationFactor: 1 }] })));
  for (const [i, reply] of replies.entries()) {
    t.match(reply.topics, [{ name: names[i], error: 'NONE' }]);
  }
  const image = await convergedImage((i) => names.every((n) => i.topics.some((x) => x.name === n)));
  t.equal(image.topics.filter((topic) => topic.name.startsWith('burst-')).length, names.length);
  t.notOk(quorum.lines.some((line) => line.includes('landed at')), 'no offset mismatch');
});

t.test('createPartitions, alterPartition and deleteTopics go through the log', async (t) => {
  const grown = await quorum.request<TopicsReply>('createPartitions', {
    topics: [{ name: 'burst-00', count: 2 }],
  });
  t.match(grown.topics, [{ name: 'burst-00', error: 'NONE' }]);
  const unknown = await quorum.request<TopicsReply>('deleteTopics', { names: ['missing'] });
  t.match(unknown.topics, [{ error: 'UNKNOWN_TOPIC_OR_PARTITION', errorCode: 3 }]);
  const deleted = await quorum.request<TopicsReply>('deleteTopics', { names: ['burst-19'] });
  t.match(deleted.topics, [{ name: 'burst-19', error: 'NONE' }]);
  const image = await convergedImage((i) =>
    !i.topics.some((x) => x.name === 'burst-19') &&
    i.topics.find((x) => x.name === 'burst-00')?.partitions.length === 2);
  const partition = image.topics.find((x) => x.name === 'burst-00')!.partitions[0]!;
  const broker = image.brokers[0]!;
  // ISR [100] is already the ISR: the controller answers with the partition as it stands.
  const altered = await quorum.request<{ isr: number[]; partitionEpoch: number }>(
    'alterPartition', {
      brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch,
      topicId: image.topics.find((x) => x.name === 'burst-00')!.topicId, partitionId: 0,
      leaderEpoch: partition.leaderEpoch, partitionEpoch: partition.partitionEpoch, newIsr: [100],
    });
  t.equal(altered.error, 'NONE', altered.message);
  t.same(altered.isr, [100]);
});

t.test('a standby answers NOT_CONTROLLER with the leader hint', async (t) => {
  const leader = await pollUntil('a leader', async () => {
    const { status } = await quorum.ask<{ status: { role: string; nodeId: number } }>(
      1, 'describeQuorum', {});
    return status?.role === 'Leader' ? 1 : (status as { leaderId?: number } | undefined)?.leaderId;
  }, 5000);
  const standby = [...quorum.servers.keys()].find((id) => id !== leader)!;
  const reply = await quorum.ask(standby, 'createTopics', { topics: [] });
  t.equal(reply.error, 'NOT_CONTROLLER');
  t.equal(reply.errorCode, 41);
  t.equal(reply.leaderId, leader);
});

t.test("every reply the controllers send passes the broker's reply schemas", async (t) => {
  const checked = (api: ControllerApiName, reply: unknown): void => {
    const decoded = decodeControllerReply(api, reply);
    t.ok(decoded.ok, decoded.ok ? `${api} reply is valid` : decoded.message);
  };
  for (const id of quorum.servers.keys()) {
    checked(ControllerApi.describeQuorum, await quorum.ask(id, ControllerApi.describeQuorum, {}));
    checked(ControllerApi.describeQuorum,
      await quorum.ask(id, ControllerApi.describeQuorum, { leaderOnly: true }));
    checked(ControllerApi.metadataImage, await quorum.ask(id, ControllerApi.metadataImage, {}));
  }
  const topics = [{ name: 'orders', numPartitions: 1, replicationFactor: 1 },
    { name: 'checked-only', numPartitions: 1, replicationFactor: 1 }];
  const created = await quorum.request(ControllerApi.createTopics, { topics, validateOnly: true });
  checked(ControllerApi.createTopics, created);
  t.match(created, { topics: [{ error: 'TOPIC_ALREADY_EXISTS' }, { error: 'NONE' }] });
  checked(ControllerApi.deleteTopics,
    await quorum.request(ControllerApi.deleteTopics, { names: ['missing'] }));
});

t.test('a malformed request is refused at the wire', async (t) => {
  await t.rejects(quorum.ask(1, 'createTopics', { topics: [{ name: 7 }] }), {
    code: 'INVALID_REQUEST',
  });
});

t.test('a write that lands off its predicted offset deactivates, then the controller resumes',
  async (t) => {
    const leader = [...quorum.servers.values()].find((s) => s.node.status().role === 'Leader')!;
    // An entry the controller did not produce shifts its next write by one offset.
    const foreign = leader.node.propose(encodeRecords([{ type: 'NoOpRecord' }]));
    const first = await quorum.request<TopicsReply>('createTopics', {
      topics: [{ name: 'shifted', numPartitions: 1, replicationFactor: 1 }],
    });
    await foreign;
    t.ok(quorum.lines.some((line) => line.includes('landed at')), 'the mismatch was noticed');
    // The first attempt committed (one offset later) but was answered NOT_CONTROLLER; the
    // client's retry then finds the topic.
    t.match(first.topics, [{ name: 'shifted', error: 'TOPIC_ALREADY_EXISTS' }]);
    const next = await quorum.request<TopicsReply>('createTopics', {
      topics: [{ name: 'resumed', numPartitions: 1, replicationFactor: 1 }],
    });
    t.match(next.topics, [{ name: 'resumed', error: 'NONE' }]);
    await convergedImage((i) => i.topics.some((x) => x.name === 'resumed'));
  });

t.test('after the leader stops, a new leader serves creates and keeps earlier topics',
  async (t) => {
    const leader = quorum.servers.values().next().value!.node.status().leaderId;
    t.ok(leader > 0);
    await quorum.stopNode(leader);
    const started = Date.now();
    const reply = await quorum.request<TopicsReply>('createTopics', {
      topics: [{ name: 'after-failover', numPartitions: 2, replicationFactor: 1 }],
    }, 8000);
    t.match(reply.topics, [{ name: 'after-failover', error: 'NONE' }]);
    t.ok(Date.now() - started < 8000, 'served within a few seconds');
    const { status } = await quorum.ask<{ status: { role: string; leaderId: number } }>(
      [...quorum.servers.keys()][0]!, 'describeQuorum', {});
    t.not(status?.leaderId, leader, 'another controller leads');
    const image = await convergedImage((i) => i.topics.some((x) => x.name === 'after-failover'));
    t.ok(image.topics.some((topic) => topic.name === 'orders'), 'earlier topics kept');
    t.equal(image.topics.length, 23);
  });

t.test('a restarted controller replays its log to the same image', async (t) => {
  const stopped = [1, 2, 3].find((id) => !quorum.servers.has(id))!;
  const before = await convergedImage((i) => i.topics.some((x) => x.name === 'after-failover'));
  await quorum.startNode(stopped);
  const after = await convergedImage((i) => i.offset >= before.offset);
  t.equal(quorum.servers.size, 3);
  t.ok(after.topics.some((topic) => topic.name === 'after-failover'));
  const replayed = await quorum.image(stopped);
  t.equal(replayed.imageHash, after.imageHash);
});
