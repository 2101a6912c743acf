import t from 'tap';
import { serverKeySchemas } from '../../../config/server-keys.js';
import { LONG_MAX_SATURATED } from '../../../config/values.js';
import { configOf, errorsOf } from './fixtures/config-fixture.js';

t.test("unset keys take Kafka's defaults (kraft-facts §3)", async (t) => {
  const c = configOf();
  const expected: Record<string, unknown> = {
    'controller.quorum.bootstrap.servers': [],
    'advertised.listeners': null,
    'inter.broker.listener.name': null,
    'log.dir': ['/tmp/kafka-logs'],
    'metadata.log.dir': null,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'unclean.leader.election.enable': false,
    'auto.create.topics.enable': true,
    'offsets.topic.replication.factor': 3,
    'offsets.topic.num.partitions': 50,
    'controller.quorum.election.timeout.ms': 1000,
    'controller.quorum.fetch.timeout.ms': 2000,
    'controller.quorum.election.backoff.max.ms': 1000,
    'controller.quorum.request.timeout.ms': 2000,
    'controller.quorum.append.linger.ms': 25,
    'controller.quorum.retry.backoff.ms': 20,
    'broker.heartbeat.interval.ms': 2000,
    'broker.session.timeout.ms': 9000,
    'initial.broker.registration.timeout.ms': 60000,
    'replica.lag.time.max.ms': 30000,
    'log.retention.hours': 168,
    'log.retention.minutes': null,
    'log.retention.ms': null,
    'log.retention.bytes': -1,
    'log.retention.check.interval.ms': 300000,
    'log.segment.bytes': 1073741824,
    'log.roll.ms': null,
    'log.roll.hours': 168,
    'log.flush.interval.messages': LONG_MAX_SATURATED,
    'log.flush.interval.ms': null,
    'metadata.log.max.record.bytes.between.snapshots': 20971520,
    'metadata.log.max.snapshot.interval.ms': 3600000,
    'metadata.max.idle.interval.ms': 500,
    'metadata.max.retention.bytes': 104857600,
    'metadata.max.retention.ms': 604800000,
    'socket.request.max.bytes': 104857600,
  };
  for (const [key, value] of Object.entries(expected)) t.same(c[key as keyof typeof c], value, key);
  t.equal(c.logRetentionMs, 168 * 3_600_000, 'effective retention from hours');
  t.equal(c.logRollMs, 168 * 3_600_000, 'effective roll from hours');
  t.equal(c.interBrokerListenerName, 'PLAINTEXT');
});

t.test('listeners and the protocol map have Kafka defaults', async (t) => {
  const schema = serverKeySchemas;
  t.same(schema.listeners.parse(undefined), [{ name: 'PLAINTEXT', host: '', port: 9092 }]);
  t.same([...schema['listener.security.protocol.map'].parse(undefined)], [
    ['PLAINTEXT', 'PLAINTEXT'], ['SSL', 'SSL'],
    ['SASL_PLAINTEXT', 'SASL_PLAINTEXT'], ['SASL_SSL', 'SASL_SSL'],
  ]);
});

t.test('voters, bootstrap servers and listeners parse into structures', async (t) => {
  const c = configOf({
    'process.roles': 'broker,controller',
    'controller.quorum.voters': '1@localhost:9093, 2@[::1]:9094 ,3@10.0.0.3:9095',
    'controller.quorum.bootstrap.servers': 'a.example:9093,[fe80::1%eth0]:9094',
    listeners: 'plaintext://0.0.0.0:9092,CONTROLLER://[::1]:9093,INTERNAL://:0',
    'advertised.listeners': 'PLAINTEXT://broker1.example:9092,INTERNAL://localhost:19092',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,internal:plaintext',
  });
  t.same(c['controller.quorum.voters'], [
    { id: 1, host: 'localhost', port: 9093 },
    { id: 2, host: '::1', port: 9094 },
    { id: 3, host: '10.0.0.3', port: 9095 },
  ]);
  t.same(c['controller.quorum.bootstrap.servers'], [
    { host: 'a.example', port: 9093 },
    { host: 'fe80::1%eth0', port: 9094 },
  ]);
  t.same(c.listeners.map((l) => l.name), ['PLAINTEXT', 'CONTROLLER', 'INTERNAL'], 'upper-cased');
  t.same(c.listeners[2], { name: 'INTERNAL', host: '', port: 0 }, 'empty host: all interfaces');
  t.equal(c['listener.security.protocol.map'].get('INTERNAL'), 'PLAINTEXT');
  t.same(c.advertisedBrokerListeners.map((l) => l.name), ['PLAINTEXT', 'INTERNAL']);
  t.same(c.controllerListeners, [{ name: 'CONTROLLER', host: '::1', port: 9093 }]);
});

t.test('log.dirs wins over log.dir; the metadata dir defaults to the first log dir', async (t) => {
  t.same(configOf({ 'log.dirs': '/a, /b', 'log.dir': '/c' }).logDirs, ['/a', '/b']);
  const fromLogDir = configOf({ 'log.dirs': undefined, 'log.dir': '/c' });
  t.same(fromLogDir.logDirs, ['/c']);
  t.equal(fromLogDir.metadataLogDir, '/c');
  t.same(configOf({ 'log.dirs': undefined }).logDirs, ['/tmp/kafka-logs'], "Kafka's default");
  t.equal(configOf({ 'log.dirs': '/a,/b', 'metadata.log.dir': '/m' }).metadataLogDir, '/m');
});

t.test('log.retention: ms > minutes > hours, negative means unlimited (-1)', async (t) => {
  t.equal(configOf({ 'log.retention.hours': '2' }).logRetentionMs, 7_200_000);
  const retention = (changes: Record<string, string>): number => configOf(changes).logRetentionMs;
  t.equal(retention({ 'log.retention.hours': '2', 'log.retention.minutes': '3' }), 180_000);
  t.equal(retention({ 'log.retention.minutes': '3', 'log.retention.ms': '1234' }), 1234);
  t.equal(configOf({ 'log.retention.ms': '-5' }).logRetentionMs, -1);
  t.equal(configOf({ 'log.retention.hours': '-1' }).logRetentionMs, -1);
});

t.test('log.roll: ms > hours', async (t) => {
  t.equal(configOf({ 'log.roll.hours': '1' }).logRollMs, 3_600_000);
  t.equal(configOf({ 'log.roll.hours': '1', 'log.roll.ms': '60000' }).logRollMs, 60_000);
});

t.test('longs beyond 2^53 saturate; beyond Long.MAX they are errors', async (t) => {
  const flush = configOf({ 'log.flush.interval.messages': '9223372036854775807' });
  t.equal(flush['log.flush.interval.messages'], LONG_MAX_SATURATED);
  t.match(errorsOf({ 'log.flush.interval.messages': '9223372036854775808' })[0], /out of range/);
});

t.test('values are trimmed; booleans ignore case', async (t) => {
  const c = configOf({ 'num.partitions': '  6  ', 'unclean.leader.election.enable': 'TRUE' });
  t.equal(c['num.partitions'], 6);
  t.equal(c['unclean.leader.election.enable'], true);
});

t.test('per-key errors quote the value and say what is wrong', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['node.id', 'one', /node\.id: 'one' is not an integer$/],
    ['node.id', '2147483648', /node\.id: '2147483648' must be at most 2147483647$/],
    ['min.insync.replicas', '0', /min\.insync\.replicas: '0' must be at least 1$/],
    ['unclean.leader.election.enable', 'yes', /'yes' is not true or false$/],
    ['controller.quorum.voters', '1@localhost', /voters: '1@localhost' is not id@host:port$/],
    ['controller.quorum.voters', '1@a:1,x@b:2', /voters: 'x@b:2' is not id@host:port$/],
    ['controller.quorum.voters', '1@a:65536', /is not id@host:port$/],
    ['controller.quorum.voters', '1@a:9093,1@b:9094', /has duplicate voter id 1$/],
    ['controller.quorum.bootstrap.servers', 'localhost', /'localhost' is not host:port$/],
    ['listeners', 'PLAINTEXT:9092', /listeners: 'PLAINTEXT:9092' is not NAME:\/\/host:port$/],
    ['listeners', 'PLAINTEXT://:70000', /is not NAME:\/\/host:port$/],
    ['process.roles', 'broker,zookeeper', /'zookeeper' is an unknown process role/],
    ['process.roles', 'broker,broker', /duplicate role names/],
    ['listener.security.protocol.map', 'A:TLS', /'TLS' is not a known security protocol/],
    ['listener.security.protocol.map', 'A', /'A' is not NAME:PROTOCOL/],
    ['listeners', 'PLAINTEXT://:9092,CONTROLLER:9093', /listeners: 'CONTROLLER:9093' is not NAME/],
    ['metadata.log.dir', '', /metadata\.log\.dir: '' is not a path/],
    ['log.segment.bytes', '10', /must be at least 14/],
  ];
  for (const [key, value, pattern] of cases) {
    const errors = errorsOf({ [key]: value });
    t.equal(errors.length, 1, `${key}=${value}: one error`);
    t.match(errors[0], pattern, `${key}=${value}`);
  }
});

t.test('ports 0 and 65535 are accepted', async (t) => {
  const c = configOf({
    listeners: 'PLAINTEXT://:0,CONTROLLER://:65535',
    'controller.quorum.voters': '1@h:65535',
  });
  t.same(c.listeners.map((l) => l.port), [0, 65535]);
});
