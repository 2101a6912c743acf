import t from 'tap';
import {
  importCycles, layerViolations, listSources, outboundSocketViolations, purityViolations,
  type SourceFile,
} from './import-graph.js';
import { projectRoot } from '../../harness/project-root.js';

const sources = listSources(projectRoot);

t.test('the project has sources to check', async (t) => {
  t.ok(sources.some((f) => f.path.startsWith('lib/')), 'lib/ is found');
});

t.test('layers import only what STYLE.md allows', async (t) => {
  t.same(layerViolations(sources), []);
});

t.test('raft/core, raft/driver and metadata stay pure and deterministic', async (t) => {
  t.same(purityViolations(sources), []);
});

t.test('there is no import cycle', async (t) => {
  t.same(importCycles(sources), []);
});

t.test('every outbound socket is opened by the one connector (lib/connector.ts)', async (t) => {
  t.same(outboundSocketViolations(sources), []);
});

// The checks above pass on a clean tree; these prove they would catch a violation.
t.test('the checker catches a forbidden import, impurity and a cycle', async (t) => {
  const bad: SourceFile[] = [
    { path: 'client/producer.ts', text: "import { x } from '../broker/server.js';" },
    { path: 'raft/node.ts', text: "export { y } from '../metadata/image.js';" },
    { path: 'broker/replica/x.ts', text: "import { z } from '../../server/kafka-node.js';" },
    { path: 'raft/core/timer.ts', text: "import fs from 'node:fs';\nconst t = Date.now();" },
    { path: 'raft/driver/io.ts', text: 'await Promise.resolve();' },
    { path: 'lib/a.ts', text: "import { b } from './b.js';" },
    { path: 'lib/b.ts', text: "import { a } from './a.js';" },
  ];
  const layers = layerViolations(bad);
  t.match(layers, [
    /client\/producer\.ts imports broker\/server\.ts/,
    /raft\/node\.ts imports metadata/,
    /broker\/replica\/x\.ts imports server\/kafka-node\.ts/,
  ]);
  t.equal(purityViolations(bad).length, 3, 'node:fs, Date.now and a promise in the driver');
  t.same(importCycles(bad), ['lib/a.ts -> lib/b.ts -> lib/a.ts']);
});

t.test('the checker catches a socket opened or a URL built outside the connector', async (t) => {
  const bad: SourceFile[] = [
    { path: 'broker/x.ts', text: 'const s = new WebSocket(url);' },
    { path: 'client/y.ts', text: 'const u = `ws://${host}:${port}/`;' },
    { path: 'lib/connector.ts', text: 'return new WebSocket(`ws://${host}`);' },
    { path: 'tests/harness/z.ts', text: "const s = new WebSocket('ws://127.0.0.1:1/');" },
  ];
  t.strictSame(outboundSocketViolations(bad), [
    'broker/x.ts opens a WebSocket: use lib/connector.ts',
    'client/y.ts builds a ws:// URL: use lib/connector.ts',
  ]);
});
