import t from 'tap';
import {
  importCycles, layerViolations, listSources, purityViolations, type SourceFile,
} from './import-graph.js';
import { projectRoot } from '../../harness/project-root.js';

const sources = listSources(projectRoot);

t.test('the project has sources to check', async (t) => {
  t.ok(sources.some((f) => f.path.startsWith('lib/')), 'lib/ is found');
});

t.test('layers import only what STYLE.md allows', async (t) => {
  t.same(layerViolations(sources), []);
});

t.test('raft/core and metadata stay pure and deterministic', async (t) => {
  t.same(purityViolations(sources), []);
});

t.test('there is no import cycle', async (t) => {
  t.same(importCycles(sources), []);
});

// The checks above pass on a clean tree; these prove they would catch a violation.
t.test('the checker catches a forbidden import, impurity and a cycle', async (t) => {
  const bad: SourceFile[] = [
    { path: 'client/producer.ts', text: "import { x } from '../broker/server.js';" },
    { path: 'raft/node.ts', text: "export { y } from '../metadata/image.js';" },
    { path: 'broker/replica/x.ts', text: "import { z } from '../../server/kafka-node.js';" },
    { path: 'raft/core/timer.ts', text: "import fs from 'node:fs';\nconst t = Date.now();" },
    { path: 'lib/a.ts', text: "import { b } from './b.js';" },
    { path: 'lib/b.ts', text: "import { a } from './a.js';" },
  ];
  const layers = layerViolations(bad);
  t.match(layers, [
    /client\/producer\.ts imports broker\/server\.ts/,
    /raft\/node\.ts imports metadata/,
    /broker\/replica\/x\.ts imports server\/kafka-node\.ts/,
  ]);
  t.equal(purityViolations(bad).length, 2, 'node:fs and Date.now');
  t.same(importCycles(bad), ['lib/a.ts -> lib/b.ts -> lib/a.ts']);
});
