/**
 * One combined node (process.roles=broker,controller), as Kafka's quickstart runs it: the
 * kafka-topics and kafka-metadata-quorum tools (their engines, in this process; tests/cli runs
 * the commands) against a real server, Kafka's error for a replication factor above the broker
 * count, a topic auto-created by a producer, and a clean SIGTERM (exit 0, controlled shutdown).
 */
import t from 'tap';
import { runInProcess } from '../harness/tool-runner.js';
import { KafkaCluster } from '../harness/kafka-cluster.js';

const cluster = await KafkaCluster.create({ controllers: 1, brokers: 0, combined: true });
t.teardown(() => cluster.stop());
await cluster.startAll();
const bootstrap = cluster.bootstrap().join(',');

t.test('kafka-topics creates, lists and describes topics on a real node', async (t) => {
  const created = await runInProcess('kafka-topics', ['--bootstrap-server', bootstrap, '--create',
    '--topic', 'quickstart-events', '--partitions', '3', '--config', 'retention.ms=60000']);
  t.equal(created.stdout, 'Created topic quickstart-events.\n');
  t.equal(created.code, 0);
  const listed = await runInProcess('kafka-topics', ['--bootstrap-server', bootstrap, '--list']);
  t.equal(listed.stdout, 'quickstart-events\n');
  const described = await runInProcess('kafka-topics', ['--bootstrap-server', bootstrap,
    '--describe', '--topic', 'quickstart-events']);
  const lines = described.stdout.trimEnd().split('\n');
  t.match(lines[0], /^Topic: quickstart-events\tTopicId: \S{22}\tPartitionCount: 3\t/);
  t.match(lines[0], /Configs: retention\.ms=60000$/);
  t.equal(lines.length, 4);
  t.match(lines[1], /^\tTopic: quickstart-events\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1/);
});

t.test('a replication factor above the broker count gets Kafka\'s message', async (t) => {
  const run = await runInProcess('kafka-topics', ['--bootstrap-server', bootstrap, '--create',
    '--topic', 'too-wide', '--replication-factor', '3']);
  t.equal(run.code, 1);
  t.equal(run.stdout, 'Error while executing topic command : Unable to replicate the ' +
    'partition 3 time(s): The target replication factor of 3 cannot be reached because only ' +
    '1 broker(s) are registered.\n');
});

t.test('kafka-metadata-quorum describes the quorum of one', async (t) => {
  const run = await runInProcess('kafka-metadata-quorum', ['--bootstrap-server', bootstrap,
    'describe', '--status']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, new RegExp(`^ClusterId:\\s+${cluster.clusterId}\\n`));
  t.match(run.stdout, /\nLeaderId:\s+1\n/);
  t.match(run.stdout, /\nCurrentVoters:\s+\[\{"id": 1,/);
});

t.test('producing to an unknown topic creates it (auto.create.topics.enable)', async (t) => {
  const producer = cluster.kafka().producer();
  await producer.connect();
  const [result] = await producer.send({ topic: 'made-on-demand', messages: [{ value: 'v' }] });
  await producer.disconnect();
  t.equal(result?.baseOffset, '0');
  const admin = cluster.kafka().admin();
  const { topics } = await admin.fetchTopicMetadata({ topics: ['made-on-demand'] });
  await admin.disconnect();
  t.equal(topics[0]?.partitions.length, 1, 'num.partitions partitions');
});

t.test('SIGTERM shuts the node down in order and exits 0', async (t) => {
  const code = await cluster.terminate(1);
  t.equal(code, 0);
  const lines = cluster.process(1).lines;
  const shutdown = lines.findIndex((l) => /Transitioning from RUNNING to PENDING_CONTROLLED/.test(l));
  const done = lines.findIndex((l) => /shut down completed/.test(l));
  t.ok(shutdown >= 0 && done > shutdown, 'controlled shutdown, then the end');
});
