/**
 * Reads the import statements of the project's TypeScript sources and checks them against the
 * dependency rules of the house style: layers point one way, no cycles, and the pure layers
 * (raft/core, raft/driver, metadata) touch no clock, randomness, timers, promises or node:
 * modules.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const LAYERS = [
  'lib', 'config', 'raft', 'metadata', 'protocol', 'broker', 'server', 'client', 'cli', 'bench',
  'tests',
] as const;

/** For each folder (most specific prefix wins), the project folders it may import from. */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  lib: ['lib'],
  config: ['config', 'lib'],
  'raft/core': ['raft/core', 'lib'],
  raft: ['raft', 'lib'],
  // Kafka's error table only (protocol/error-codes.ts, pure data): the controller answers with
  // its names and nothing else in protocol/. Kafka's Errors lives in `clients`, which every
  // module imports, metadata included; a second copy of the numbers is what this avoids.
  metadata: ['metadata', 'raft', 'lib', 'protocol/error-codes.ts'],
  protocol: ['protocol', 'lib'],
  client: ['client', 'protocol', 'lib'],
  // What a broker is (logs, replicas, request handlers); the daemon that runs it is server/.
  broker: ['broker', 'metadata', 'raft', 'protocol', 'config', 'lib'],
  // The daemon: one process with its roles (server/broker, server/controller) and their wiring.
  server: ['server', 'broker', 'metadata', 'raft', 'protocol', 'config', 'lib'],
  cli: ['cli', 'client', 'server', 'broker', 'metadata', 'raft', 'protocol', 'config', 'lib'],
  // Benchmarks run the perf tools' engines (cli/perf) in-process, as Kafka's perf scripts do.
  bench: ['bench', 'cli', 'client', 'server', 'broker', 'metadata', 'raft', 'protocol', 'config',
    'lib', 'tests'],
  tests: ['*'],
};

/**
 * Folders whose code must stay deterministic, and what they may not mention. raft/driver is
 * the one Ready loop the simulator runs on its synchronous event queue: no promises either.
 */
export const PURE_FOLDERS = ['raft/core', 'raft/driver', 'metadata'] as const;
const IMPURE_PATTERNS: readonly [RegExp, string][] = [
  [/\bDate\.now\s*\(|\bnew Date\s*\(/, 'the wall clock'],
  [/\bMath\.random\s*\(/, 'Math.random'],
  [/\bset(Timeout|Interval|Immediate)\s*\(/, 'timers'],
  [/\basync\s+(function|\(|[a-zA-Z_$][\w$]*\s*\()/, 'async code'],
  [/\bPromise\b|\.then\s*\(/, 'promises'],
];

export interface SourceFile {
  readonly path: string; // relative, with '/' separators
  readonly text: string;
}

export function listSources(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        const path = relative(root, full).split(sep).join('/');
        files.push({ path, text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const layer of LAYERS) {
    try {
      if (statSync(join(root, layer)).isDirectory()) walk(join(root, layer));
    } catch {
      // A layer that does not exist yet has nothing to check.
    }
  }
  return files;
}

// Static `import ... from`, `export ... from`, dynamic `import('...')` and bare `import '...'`.
const IMPORT_RE = new RegExp([
  String.raw`(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]`,
  String.raw`import\s*\(\s*['"]([^'"]+)['"]\s*\)`,
  String.raw`import\s+['"]([^'"]+)['"]`,
].join('|'), 'g');

/** Relative imports resolved to project paths ('raft/core/types.ts'), plus bare specifiers. */
export function importsOf(file: SourceFile): { local: string[]; external: string[] } {
  const local: string[] = [];
  const external: string[] = [];
  const text = stripComments(file.text);
  for (const match of text.matchAll(IMPORT_RE)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec === undefined) continue;
    if (spec.startsWith('.')) {
      const target = resolve('/', dirname(file.path), spec).slice(1).replace(/\.js$/, '.ts');
      local.push(target);
    } else {
      external.push(spec);
    }
  }
  return { local, external };
}

export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function ruleFor(path: string): [string, readonly string[]] | undefined {
  const keys = Object.keys(ALLOWED_IMPORTS).sort((a, b) => b.length - a.length);
  for (const key of keys) {
    if (path === key || path.startsWith(`${key}/`)) return [key, ALLOWED_IMPORTS[key]!];
  }
  return undefined;
}

export function isTestFile(path: string): boolean {
  return path.endsWith('.test.ts');
}

export function layerViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (isTestFile(file.path)) continue;
    const rule = ruleFor(file.path);
    if (rule === undefined) continue;
    const [key, allowed] = rule;
    if (allowed.includes('*')) continue;
    for (const target of importsOf(file).local) {
      const ok = allowed.some((folder) => target === folder || target.startsWith(`${folder}/`));
      if (ok) continue;
      const rule = `${key}/ may import only ${allowed.join(', ')}`;
      problems.push(`${file.path} imports ${target}: ${rule}`);
    }
  }
  return problems;
}

export function purityViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (isTestFile(file.path)) continue;
    if (!PURE_FOLDERS.some((folder) => file.path.startsWith(`${folder}/`))) continue;
    for (const spec of importsOf(file).external) {
      if (spec.startsWith('node:') || ['fs', 'net', 'http', 'ws', 'timers'].includes(spec)) {
        problems.push(`${file.path} imports ${spec}: pure code does no I/O`);
      }
    }
    const text = stripComments(file.text);
    for (const [pattern, what] of IMPURE_PATTERNS) {
      if (!pattern.test(text)) continue;
      problems.push(`${file.path} uses ${what}: pure code must be deterministic`);
    }
  }
  return problems;
}

/** The only production file that may open an outbound socket or spell a ws:// URL. */
export const CONNECTOR = 'lib/connector.ts';
const OUTBOUND_PATTERNS: readonly [RegExp, string][] = [
  [/\bnew\s+WebSocket\s*\(/, 'opens a WebSocket'],
  [/['"`]wss?:\/\//, 'builds a ws:// URL'],
];

/** Outbound sockets go through one connector, where TLS and SASL will plug in. */
export function outboundSocketViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (isTestFile(file.path) || file.path.startsWith('tests/')) continue;
    if (file.path === CONNECTOR) continue;
    const text = stripComments(file.text);
    for (const [pattern, what] of OUTBOUND_PATTERNS) {
      if (pattern.test(text)) problems.push(`${file.path} ${what}: use ${CONNECTOR}`);
    }
  }
  return problems;
}

/** Every import cycle among files, each reported once as a path a -> b -> ... -> a. */
export function importCycles(files: readonly SourceFile[]): string[] {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    graph.set(file.path, importsOf(file).local.filter((target) => target !== file.path));
  }
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      }
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
