import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { rootPath } from '../../harness/project-root.js';

const coreDir = rootPath('raft', 'core');
const files = readdirSync(coreDir).filter((name) => name.endsWith('.ts'));

t.test(
  'raft/core imports only lib/ and raft/core (house style: dependencies point one way)',
  async (t) => {
    for (const name of files) {
      const source = readFileSync(join(coreDir, name), 'utf8');
      for (const [, from] of source.matchAll(/from '([^']+)'/g)) {
        const allowed = from!.startsWith('./') || from!.startsWith('../../lib/');
        t.ok(allowed, `${name} imports ${from}`);
      }
    }
  },
);

t.test(
  'raft/core has no clock, randomness, timers, promises or I/O (a pure state machine)',
  async (t) => {
    const forbidden = [
      /\bDate\b/,
      /Math\.random/,
      /setTimeout|setInterval|setImmediate/,
      /\basync\b/,
      /\bawait\b/,
      /\bPromise\b/,
      /node:/,
      /\bprocess\./,
      /\bconsole\./,
    ];
    for (const name of files) {
      const code = readFileSync(join(coreDir, name), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const pattern of forbidden) t.notMatch(code, pattern, `${name}: ${pattern}`);
    }
  },
);
