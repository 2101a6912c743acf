/**
 * `npm start -- --cluster`: the three combined nodes of config/cluster/ (brokers on 19092-19094,
 * controllers on 19192-19194), each a kafka-server-start child process. Every node's directory
 * is formatted on first run with one shared cluster id (a node formatted earlier lends its id).
 * Output lines are prefixed with the node; SIGINT or SIGTERM is passed to each child by PID,
 * and the command exits once all of them have.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadServerConfig } from '../../config/load.js';
import { parseProperties } from '../../config/properties.js';
import { randomUuid } from '../../lib/uuid.js';
import { formatStorage } from '../storage/format.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/cli/quickstart → the package root. */
const packageRoot = resolve(here, '../../..');
export const CLUSTER_CONFIGS = [1, 2, 3].map((id) =>
  join(packageRoot, 'config', 'cluster', `node-${id}.properties`));

function existingClusterId(dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const file = join(dir, 'meta.properties');
    if (!existsSync(file)) continue;
    const entry = parseProperties(readFileSync(file, 'utf8')).entries
      .find((e) => e.key === 'cluster.id');
    if (entry !== undefined) return entry.value;
  }
  return undefined;
}

export async function startThreeNodes(print: (line: string) => void): Promise<number> {
  const configs = CLUSTER_CONFIGS.map((path) => loadServerConfig(path).config);
  const dirs = configs.flatMap((c) => [...c.logDirs, c.metadataLogDir]);
  const clusterId = existingClusterId(dirs) ?? randomUuid();
  for (const config of configs) {
    const own = [...new Set([...config.logDirs, config.metadataLogDir])];
    if (own.every((dir) => existsSync(join(dir, 'meta.properties')))) continue;
    await formatStorage({ config, clusterId, print, ignoreFormatted: true });
  }
  print(`Starting the three-node cluster ${clusterId}: bootstrap servers ` +
    '127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094');
  const serverStart = join(packageRoot, 'dist', 'cli', 'kafka-server-start.js');
  const children: ChildProcess[] = CLUSTER_CONFIGS.map((path, i) => {
    const child = spawn(process.execPath, [serverStart, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) print(`[node-${i + 1}] ${line}`);
      });
    }
    return child;
  });
  const forward = (signal: NodeJS.Signals): void => {
    for (const child of children) {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, signal);
    }
  };
  process.on('SIGINT', () => forward('SIGTERM'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  const codes = await Promise.all(children.map((child) => new Promise<number>((done) => {
    child.once('exit', (code) => done(code ?? 1));
  })));
  return codes.every((code) => code === 0) ? 0 : 1;
}
