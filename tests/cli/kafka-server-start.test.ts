/**
 * kafka-server-start refuses to start, with one clear line and exit code 1, on bad arguments,
 * unreadable or invalid configuration and unformatted storage (Kafka's messages).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { distCli } from '../harness/controller-cluster.js';

function serverStart(...args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [distCli('kafka-server-start'), ...args], {
    encoding: 'utf8', timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'raftka-server-start-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const controllerConfig = join(dir, 'controller.properties');
writeFileSync(controllerConfig, [
  'process.roles=controller', 'node.id=1', 'controller.quorum.voters=1@127.0.0.1:19999',
  'listeners=CONTROLLER://127.0.0.1:19999', 'controller.listener.names=CONTROLLER',
  `log.dirs=${join(dir, 'logs')}`, '',
].join('\n'));

t.test('a missing config argument is a usage error', async (t) => {
  const { status, stderr } = serverStart();
  t.equal(status, 1);
  t.match(stderr, /Not enough non-option arguments/);
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
});

t.test('an unreadable config file names the file', async (t) => {
  const { status, stderr } = serverStart(join(dir, 'missing.properties'));
  t.equal(status, 1);
  t.match(stderr, /missing\.properties: cannot read the configuration file/);
});

t.test('unformatted storage is refused with Kafka\'s message', async (t) => {
  const { status, stderr } = serverStart(controllerConfig);
  t.equal(status, 1);
  t.equal(stderr.trim(), 'No readable meta.properties files found.');
});

t.test('an invalid override is reported against --override', async (t) => {
  const { status, stderr } = serverStart(controllerConfig, '--override', 'node.id=abc');
  t.equal(status, 1);
  t.match(stderr, /--override.*node\.id/);
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
});
