/**
 * The raftka servers running on this host, for kafka-server-stop: Kafka's script finds its
 * servers with `ps` by their main class; here a server is a node process running
 * kafka-server-start.js, found in /proc. Each one's node.id and process.roles come from the
 * config file and --override arguments it was started with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { loadServerConfig } from '../../config/load.js';

export interface RunningServer {
  readonly pid: number;
  /** -1 when the config can no longer be read. */
  readonly nodeId: number;
  readonly roles: readonly string[];
}

const SERVER_SCRIPT = /kafka-server-start(\.js)?$/;

function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return undefined; // gone, or not ours to read
  }
}

function workingDirectory(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
      .find((entry) => entry.startsWith('PWD='))?.slice(4) ?? '/';
  } catch {
    return '/';
  }
}

export function runningServers(): RunningServer[] {
  const servers: RunningServer[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = commandLine(pid);
    const scriptAt = argv?.findIndex((arg) => SERVER_SCRIPT.test(arg)) ?? -1;
    if (argv === undefined || scriptAt < 0) continue;
    const rest = argv.slice(scriptAt + 1);
    const configArg = rest.find((arg) => !arg.startsWith('-'));
    const overrides: string[] = [];
    rest.forEach((arg, i) => {
      if (arg === '--override' && rest[i + 1] !== undefined) overrides.push(rest[i + 1]!);
    });
    let nodeId = -1;
    let roles: readonly string[] = [];
    if (configArg !== undefined) {
      const path = isAbsolute(configArg) ? configArg : resolve(workingDirectory(pid), configArg);
      try {
        const { config } = loadServerConfig(path, overrides);
        nodeId = config['node.id'];
        roles = config['process.roles'];
      } catch {
        // The file changed or vanished since: the server is still listed, without an id.
      }
    }
    servers.push({ pid, nodeId, roles });
  }
  return servers;
}
