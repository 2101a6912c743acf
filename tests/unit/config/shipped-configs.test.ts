import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadServerConfig } from '../../../config/load.js';
import { storageDirectories } from '../../../config/storage-dirs.js';
import { rootPath } from '../../harness/project-root.js';

const configDir = rootPath('config');

t.test('every shipped config loads with no warnings', async (t) => {
  const files = ['server.properties', 'controller.properties', 'broker.properties',
    'cluster/node-1.properties', 'cluster/node-2.properties', 'cluster/node-3.properties'];
  for (const file of files) {
    const { config, warnings } = loadServerConfig(join(configDir, file), []);
    t.same(warnings, [], `${file}: no warnings`);
    t.ok(config['node.id'] >= 0, `${file}: node.id set`);
  }
});

t.test('the combined node matches Kafka config/kraft/server.properties', async (t) => {
  const { config } = loadServerConfig(join(configDir, 'server.properties'), []);
  t.same(config['process.roles'], ['broker', 'controller']);
  t.equal(config['node.id'], 1);
  t.same(config['controller.quorum.voters'], [{ id: 1, host: 'localhost', port: 9093 }]);
  t.same(config.listeners, [
    { name: 'PLAINTEXT', host: '', port: 9092 },
    { name: 'CONTROLLER', host: '', port: 9093 },
  ]);
  t.same(config.logDirs, ['/tmp/kraft-combined-logs']);
});

t.test('controller and broker examples use their own directories and ids', async (t) => {
  const controller = loadServerConfig(join(configDir, 'controller.properties'), []).config;
  t.same(controller['process.roles'], ['controller']);
  t.same(controller.logDirs, ['/tmp/kraft-controller-logs']);
  const broker = loadServerConfig(join(configDir, 'broker.properties'), []).config;
  t.same(broker['process.roles'], ['broker']);
  t.equal(broker['node.id'], 2);
  t.same(broker.logDirs, ['/tmp/kraft-broker-logs']);
});

t.test('the three-node cluster: distinct loopback ports and dirs, the same voters', async (t) => {
  const load = (n: number) => loadServerConfig(join(configDir, `cluster/node-${n}.properties`), []);
  const nodes = [1, 2, 3].map((n) => load(n).config);
  const voters = '1@127.0.0.1:19192,2@127.0.0.1:19193,3@127.0.0.1:19194';
  nodes.forEach((node, i) => {
    const n = i + 1;
    t.equal(node['node.id'], n);
    const written = node['controller.quorum.voters'].map((v) => `${v.id}@${v.host}:${v.port}`);
    t.equal(written.join(','), voters);
    t.same(node.listeners, [
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 19091 + n },
      { name: 'CONTROLLER', host: '127.0.0.1', port: 19191 + n },
    ]);
    t.same(storageDirectories(node), [`/tmp/raftka-cluster/node-${n}`]);
  });
});

// Kafka 3.9 config/kraft/server.properties with its comments stripped (kraft-facts §3), plus
// the two share-coordinator keys that trunk adds. One long line is continued with a backslash.
const kafkaShipped = `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
inter.broker.listener.name=PLAINTEXT
advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,\
  SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
log.dirs=/tmp/kraft-combined-logs
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
`;

t.test("Kafka's own shipped server.properties loads with no warnings", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'raftka-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'server.properties');
  writeFileSync(file, kafkaShipped);
  const { config, warnings } = loadServerConfig(file, []);
  t.same(warnings, []);
  t.equal(config.logRetentionMs, 168 * 3_600_000);
  const reconfig = join(dir, 'reconfig-server.properties');
  writeFileSync(reconfig, kafkaShipped.replace('controller.quorum.voters=1@localhost:9093',
    'controller.quorum.bootstrap.servers=localhost:9093'));
  t.same(loadServerConfig(reconfig, []).warnings, [], 'the dynamic-quorum variant too');
});
