import t from 'tap';
import { configOf, errorsOf } from './fixtures/config-fixture.js';

const controllerOnly = {
  'process.roles': 'controller',
  'node.id': '1',
  'controller.quorum.voters': '1@localhost:9093',
  listeners: 'CONTROLLER://:9093',
  'controller.listener.names': 'CONTROLLER',
  'log.dirs': '/var/lib/raftka',
};

const brokerOnly = {
  'process.roles': 'broker',
  'node.id': '2',
  'controller.quorum.voters': '1@localhost:9093',
  listeners: 'PLAINTEXT://:9092',
  'controller.listener.names': 'CONTROLLER',
  'log.dirs': '/var/lib/raftka',
};

t.test('the valid combined, controller-only and broker-only fixtures load', async (t) => {
  t.ok(configOf().isBroker && configOf().isController);
  t.ok(configOf({}, controllerOnly).isController);
  t.ok(configOf({}, brokerOnly).isBroker);
});

t.test('node.id is required when process.roles is set (Kafka message)', async (t) => {
  t.same(errorsOf({ 'node.id': undefined }), [
    'server.properties: node.id: Missing configuration `node.id` which is required when ' +
      '`process.roles` is defined (i.e. when running in KRaft mode).',
  ]);
  t.match(errorsOf({ 'node.id': '-3' })[0],
    /^server\.properties:2: node\.id: '-3' must be a non-negative/);
});

t.test('process.roles unset is a legacy (ZooKeeper) config, which raftka refuses', async (t) => {
  const errors = errorsOf({ 'process.roles': undefined });
  t.equal(errors.length, 1, 'one error, no cascade');
  t.match(errors[0],
    /^server\.properties: process\.roles: is not set.*legacy \(ZooKeeper\).*KRaft mode/);
});

t.test('either voters or bootstrap servers are required (Kafka message)', async (t) => {
  t.same(errorsOf({ 'controller.quorum.voters': undefined }), [
    'server.properties: controller.quorum.voters, controller.quorum.bootstrap.servers: If using ' +
      'process.roles, either controller.quorum.bootstrap.servers must contain the set of ' +
      'bootstrap controllers or controller.quorum.voters must contain a parseable set of ' +
      'controllers.',
  ]);
  const dynamic = configOf({
    'controller.quorum.voters': undefined,
    'controller.quorum.bootstrap.servers': 'localhost:9093',
  });
  t.same(dynamic['controller.quorum.voters'], []);
});

t.test("a controller's node.id must be among the voters (Kafka message)", async (t) => {
  t.same(errorsOf({ 'controller.quorum.voters': '2@h:1,3@h:2' }), [
    'server.properties: node.id, controller.quorum.voters: If process.roles contains the ' +
      "'controller' role, the node id 1 must be included in the set of voters " +
      'controller.quorum.voters=Set(2, 3)',
  ]);
  t.match(errorsOf({ 'node.id': '5' }, controllerOnly)[0], /the node id 5 must be included/);
});

t.test("a broker-only node's id must not be a voter (Kafka message)", async (t) => {
  t.match(errorsOf({ 'node.id': '1' }, brokerOnly)[0],
    /If process\.roles contains just the 'broker' role, the node id 1 must not be included/);
});

t.test("a controller's controller.listener.names must appear in listeners", async (t) => {
  t.ok(errorsOf({ 'controller.listener.names': 'RAFT' }).includes(
    'server.properties:5: controller.listener.names: controller.listener.names must contain at ' +
      "least one value appearing in the 'listeners' configuration when running the KRaft " +
      'controller role',
  ));
  t.match(errorsOf({ 'controller.listener.names': 'CONTROLLER,RAFT' })[0],
    /must only contain values appearing in the 'listeners' configuration/);
  t.match(errorsOf({ 'controller.listener.names': undefined })[0],
    /must contain at least one value/);
});

t.test('a controller-only node listens only on controller listeners', async (t) => {
  t.match(errorsOf({ listeners: 'CONTROLLER://:9093,PLAINTEXT://:9092' }, controllerOnly)[0],
    /The listeners config must only contain KRaft controller listeners from controller/);
  t.match(errorsOf({ 'inter.broker.listener.name': 'CONTROLLER' }, controllerOnly)[0],
    /must not contain an explicitly set inter\.broker\.listener\.name/);
});

t.test('a broker-only node needs controller.listener.names but no such listener', async (t) => {
  t.match(errorsOf({ 'controller.listener.names': undefined }, brokerOnly)[0],
    /must contain at least one value when running KRaft with just the broker role/);
  t.match(errorsOf({ listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093' }, brokerOnly)[0],
    /must not contain a value appearing in the 'listeners' configuration/);
  t.match(errorsOf({ 'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT' }, brokerOnly)[0],
    /Controller listener with name CONTROLLER defined in controller\.listener\.names not found/);
});

t.test('a broker needs a listener that is not a controller listener (Kafka message)', async (t) => {
  t.same(errorsOf({ listeners: 'CONTROLLER://:9093' }), [
    'server.properties: advertised.listeners, controller.listener.names: There must be at least ' +
      'one broker advertised listener. Perhaps all listeners appear in controller.listener.names?',
  ]);
});

t.test('inter.broker.listener.name must name an advertised broker listener', async (t) => {
  t.same(errorsOf({ 'inter.broker.listener.name': 'INTERNAL' }), [
    'server.properties:7: inter.broker.listener.name: inter.broker.listener.name must be a ' +
      'listener name defined in advertised.listeners. The valid options based on currently ' +
      'configured listeners are PLAINTEXT',
  ]);
  const lowerCase = configOf({ 'inter.broker.listener.name': 'plaintext' });
  t.equal(lowerCase.interBrokerListenerName, 'PLAINTEXT');
});

t.test('advertised listener names must be a subset of listeners, and not 0.0.0.0', async (t) => {
  t.match(errorsOf({
    'advertised.listeners': 'PLAINTEXT://h:9092,OTHER://h:9094',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,OTHER:PLAINTEXT',
  })[0], /must be equal to or a subset of the ones defined in listeners\. Found PLAINTEXT,OTHER/);
  t.match(errorsOf({ listeners: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://:9093' })[0],
    /advertised\.listeners cannot use the nonroutable meta-address 0\.0\.0\.0/);
  t.ok(configOf({
    listeners: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://:9093',
    'advertised.listeners': 'PLAINTEXT://broker.example:9092',
  }), 'binding 0.0.0.0 is fine when a routable address is advertised');
});

t.test('every listener needs a security protocol, a unique name and a unique port', async (t) => {
  t.match(errorsOf({ listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093,INTERNAL://:9094' })[0],
    /No security protocol defined for listener INTERNAL/);
  t.match(errorsOf({ listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093,PLAINTEXT://:9094' })[0],
    /Each listener must have a different name/);
  t.match(errorsOf({ listeners: 'PLAINTEXT://:9092,CONTROLLER://:9092' })[0],
    /Each listener must have a different port/);
  t.ok(configOf({ listeners: 'PLAINTEXT://:0,CONTROLLER://:0' }), 'port 0 (any free port) repeats');
});

t.test('controller listeners get PLAINTEXT when the protocol map is unset (KRaft)', async (t) => {
  const c = configOf();
  t.equal(c.listenerSecurityProtocols.get('CONTROLLER'), 'PLAINTEXT');
  t.equal(c['listener.security.protocol.map'].has('CONTROLLER'), false, 'the key keeps its value');
});

t.test('log time rules: retention 0 and roll 0 are refused (Kafka messages)', async (t) => {
  t.match(errorsOf({ 'log.retention.ms': '0' })[0],
    /log\.retention\.ms must be unlimited \(-1\) or, greater than or equal to 1/);
  t.match(errorsOf({ 'log.roll.ms': '0' })[0], /log\.roll\.ms must be greater than or equal to 1/);
  t.match(errorsOf({ 'log.dirs': ' , ' })[0], /At least one log directory must be defined/);
});

t.test('all errors are collected, and a bad value does not cascade into rule errors', async (t) => {
  const errors = errorsOf({
    'node.id': 'x',
    'controller.quorum.voters': '1@localhost',
    'num.partitions': '0',
    'log.retention.ms': '0',
  });
  t.equal(errors.length, 4, errors.join('\n'));
});
