/**
 * kafka-server-start --daemon and kafka-server-stop, as a Kafka operator uses them: the daemon
 * returns at once and logs to $LOG_DIR/kafkaServer.out; kafka-server-stop --node-id stops that
 * server only, through its controlled shutdown; with nothing to stop it says so and exits 1.
 * The test's server has a node id no other test uses, and teardown kills it by PID if needed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { runningServers } from '../../cli/server/running-servers.js';
import { distCli } from '../harness/controller-cluster.js';
import { pollUntil } from '../harness/wait-for.js';
import { nodeProperties } from '../harness/node-properties.js';
import { freePorts } from '../harness/ports.js';
import { kafkaStorage } from './fixtures/storage-tool.js';

const run = promisify(execFile);
const NODE_ID = 7301;
const ours = () => runningServers().filter((s) => s.nodeId === NODE_ID);

const root = await mkdtemp(join(tmpdir(), 'raftka-server-stop-'));
t.teardown(async () => {
  for (const server of ours()) process.kill(server.pid, 'SIGKILL');
  await rm(root, { recursive: true, force: true });
});
const [brokerPort, controllerPort] = await freePorts(2) as [number, number];
const config = join(root, 'server.properties');
await writeFile(config, nodeProperties({
  nodeId: NODE_ID, roles: ['broker', 'controller'], voters: new Map([[NODE_ID, controllerPort]]),
  brokerPort, dataDir: join(root, 'data'),
}));
// Storage is formatted by kafka-storage's engine in this process: this file tests the server.
const { stdout: clusterId } = await kafkaStorage('random-uuid');
const formatted = await kafkaStorage('format', '-t', clusterId.trim(), '-c', config);
if (formatted.code !== 0) throw new Error(`kafka-storage format failed: ${formatted.stderr}`);

t.test('--daemon returns at once and the server logs to $LOG_DIR/kafkaServer.out', async (t) => {
  const logDir = join(root, 'logs');
  const started = await run(process.execPath, [distCli('kafka-server-start'), '--daemon', config],
    { env: { ...process.env, LOG_DIR: logDir }, timeout: 10_000 });
  t.equal(started.stdout, '');
  const out = join(logDir, 'kafkaServer.out');
  await pollUntil('the daemon to start', async () =>
    (/Kafka Server started/.test(await readFile(out, 'utf8').catch(() => '')) ? true : undefined),
  20_000, 50);
  t.equal(ours().length, 1, 'one server with our node id runs');
});

t.test('kafka-server-stop --node-id stops it through its controlled shutdown', async (t) => {
  const stopped = await run(process.execPath, [distCli('kafka-server-stop'), '--node-id',
    String(NODE_ID)], { timeout: 10_000 });
  t.equal(stopped.stdout, '');
  await pollUntil('the server to exit', () => (ours().length === 0 ? true : undefined),
    20_000, 50);
  const log = await readFile(join(root, 'logs', 'kafkaServer.out'), 'utf8');
  t.match(log, /Transitioning from RUNNING to PENDING_CONTROLLED_SHUTDOWN/);
  t.match(log, /shut down completed/);
});

t.test('with nothing to stop it says so and exits 1', async (t) => {
  const error = await run(process.execPath, [distCli('kafka-server-stop'), '--node-id',
    String(NODE_ID)]).then(() => undefined, (e: unknown) => e as { code: number; stdout: string });
  t.equal(error?.code, 1);
  t.equal(error?.stdout, 'No kafka server to stop\n');
});
