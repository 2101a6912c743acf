/**
 * kafka-server-start refuses to start, with one clear line and exit code 1, on bad arguments,
 * unreadable or invalid configuration and unformatted storage (Kafka's messages).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { distCli } from '../harness/controller-cluster.js';

/** Runs kafka-server-start to its exit (killed by its handle after 20 s). */
function serverStart(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distCli('kafka-server-start'), ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'raftka-server-start-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const controllerConfig = join(dir, 'controller.properties');
writeFileSync(controllerConfig, [
  'process.roles=controller', 'node.id=1', 'controller.quorum.voters=1@127.0.0.1:19999',
  'listeners=CONTROLLER://127.0.0.1:19999', 'controller.listener.names=CONTROLLER',
  `log.dirs=${join(dir, 'logs')}`, '',
].join('\n'));

// Each run fails at start-up, so they run side by side; each test checks one.
const runs = {
  noConfig: serverStart(),
  unreadable: serverStart(join(dir, 'missing.properties')),
  unformatted: serverStart(controllerConfig),
  badOverride: serverStart(controllerConfig, '--override', 'node.id=abc'),
};

t.test('a missing config argument is a usage error', async (t) => {
  const { status, stderr } = await runs.noConfig;
  t.equal(status, 1);
  t.match(stderr, /Not enough non-option arguments/);
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
});

t.test('an unreadable config file names the file', async (t) => {
  const { status, stderr } = await runs.unreadable;
  t.equal(status, 1);
  t.match(stderr, /missing\.properties: cannot read the configuration file/);
});

t.test('unformatted storage is refused with Kafka\'s message', async (t) => {
  const { status, stderr } = await runs.unformatted;
  t.equal(status, 1);
  t.equal(stderr.trim(), 'No readable meta.properties files found.');
});

t.test('an invalid override is reported against --override', async (t) => {
  const { status, stderr } = await runs.badOverride;
  t.equal(status, 1);
  t.match(stderr, /--override.*node\.id/);
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
});
