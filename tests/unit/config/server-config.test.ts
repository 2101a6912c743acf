import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError } from '../../../config/errors.js';
import { loadServerConfig } from '../../../config/load.js';
import { build, propertiesText } from './fixtures/config-fixture.js';

const text = [
  '# a comment',
  'process.roles=broker,controller',
  'node.id=1',
  '',
  'listeners=PLAINTEXT://:9092,CONTROLLER://:9093',
  'controller.listener.names=CONTROLLER',
  'log.dirs=/var/lib/raftka',
  '', '', '', '',
  'controller.quorum.voters=1@localhost',
].join('\n');

t.test('an error names file:line, the key and the offending value', async (t) => {
  const result = build(text);
  t.notOk(result.ok);
  if (!result.ok) {
    t.same(result.errors, [
      "server.properties:12: controller.quorum.voters: '1@localhost' is not id@host:port",
    ]);
  }
});

t.test('every error is reported, in file order, not just the first', async (t) => {
  const result = build('node.id=x\nprocess.roles=broker,controller\nnum.partitions=0\n' +
    'log.retention.hours=y\n' +
    'controller.quorum.voters=1@localhost:9093\nlisteners=PLAINTEXT://:9092,CONTROLLER://:9093\n' +
    'controller.listener.names=CONTROLLER');
  t.notOk(result.ok);
  if (!result.ok) {
    t.same(result.errors, [
      "server.properties:1: node.id: 'x' is not an integer",
      "server.properties:3: num.partitions: '0' must be at least 1",
      "server.properties:4: log.retention.hours: 'y' is not an integer",
    ]);
  }
});

t.test('a continued line reports the line where the entry starts', async (t) => {
  const result = build(`${propertiesText({ 'controller.quorum.voters': undefined })}\n` +
    'controller.quorum.voters=1@localhost:9093, \\\n  2@nohost');
  t.notOk(result.ok);
  if (!result.ok) {
    t.match(result.errors[0],
      /^server\.properties:6: controller\.quorum\.voters: '2@nohost' is not id@host:port$/);
  }
});

t.test('overrides apply on top of the file and are reported as --override', async (t) => {
  const ok = build(text, ['controller.quorum.voters=1@localhost:9093', 'num.partitions=3']);
  t.ok(ok.ok);
  if (ok.ok) t.equal(ok.config['num.partitions'], 3);
  const bad = build(propertiesText(), ['num.partitions=many', 'novalue', 'node.id=9']);
  t.notOk(bad.ok);
  if (!bad.ok) {
    t.same(bad.errors, [
      "--override: 'novalue' is not key=value",
      "--override: num.partitions: 'many' is not an integer",
      "server.properties: node.id, controller.quorum.voters: If process.roles contains the " +
        "'controller' role, the node id 9 must be included in the set of voters " +
        'controller.quorum.voters=Set(1)',
    ]);
  }
});

t.test('an override is taken verbatim (no escapes), split at the first =', async (t) => {
  const result = build(propertiesText(), ['log.dirs=/data/a=b\\c']);
  t.ok(result.ok);
  if (result.ok) t.same(result.config.logDirs, ['/data/a=b\\c']);
});

t.test('unknown keys and repeated keys are warnings, not failures', async (t) => {
  const text = `${propertiesText()}\nzookeeper.connect=localhost:2181\nnode.id=1`;
  const result = build(text, ['bogus.key=1']);
  t.ok(result.ok);
  t.same(result.warnings, [
    "server.properties:7: The configuration 'zookeeper.connect' was supplied but isn't a known " +
      'config.',
    'server.properties:8: node.id: set again (first on line 2); the last value wins',
    "--override: The configuration 'bogus.key' was supplied but isn't a known config.",
  ]);
});

t.test('a malformed escape in the file is an error at its line', async (t) => {
  const result = build(`${propertiesText()}\nlog.dir=\\uZZZZ`);
  t.notOk(result.ok);
  if (!result.ok) t.same(result.errors, ['server.properties:7: Malformed \\uxxxx encoding.']);
});

t.test('loadServerConfig reads a file, or throws ConfigError with every message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'raftka-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.properties');
  writeFileSync(good, `${propertiesText()}\nunknown.key=1\n`);
  const loaded = loadServerConfig(good, ['num.partitions=4']);
  t.equal(loaded.config['num.partitions'], 4);
  t.same(loaded.warnings,
    [`${good}:7: The configuration 'unknown.key' was supplied but isn't a known config.`]);

  const bad = join(dir, 'bad.properties');
  writeFileSync(bad, propertiesText({ 'node.id': 'x', 'num.partitions': '-1' }));
  t.throws(() => loadServerConfig(bad, []), {
    name: 'ConfigError',
    messages: [
      `${bad}:2: node.id: 'x' is not an integer`,
      `${bad}:7: num.partitions: '-1' must be at least 1`,
    ],
  });
});

t.test('an unreadable file is one line naming the file and the OS reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'raftka-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const missing = join(dir, 'missing.properties');
  try {
    loadServerConfig(missing, []);
    t.fail('should throw');
  } catch (error) {
    t.ok(error instanceof ConfigError);
    if (error instanceof ConfigError) {
      t.same(error.messages,
        [`${missing}: cannot read the configuration file: ENOENT: no such file or directory`]);
    }
  }
  try {
    loadServerConfig(dir, []);
  } catch (error) {
    if (error instanceof ConfigError) {
      t.match(error.messages[0], /EISDIR: illegal operation on a directory$/);
    }
  }
});
