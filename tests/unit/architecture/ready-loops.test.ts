import t from 'tap';
import { projectRoot } from '../../harness/project-root.js';
import { listSources, type SourceFile } from './import-graph.js';
import { readyLoopViolations } from './ready-loops.js';

const sources = listSources(projectRoot);

t.test('the sources include the hosts of the driver and the driver itself', async (t) => {
  const paths = new Set(sources.map((file) => file.path));
  for (const path of [
    'raft/driver/raft-driver.ts', 'raft/runtime.ts', 'tests/sim/sim-node.ts',
    'tests/unit/raft-core/harness.ts',
  ]) {
    t.ok(paths.has(path), path);
  }
  const driver = sources.find((file) => file.path === 'raft/driver/raft-driver.ts')!;
  t.match(driver.text, /\.hasReady\(\)/, 'the one loop is where the check expects it');
});

t.test('nothing but raft/driver runs a Ready loop (the simulator and harness host it)',
  async (t) => {
    t.same(readyLoopViolations(sources), []);
  });

// The check above passes on a clean tree; these copies of the loops this project used to have
// prove it would catch one.
t.test('the check catches the old harness, the old simulator node and a loop in a test',
  async (t) => {
    const bad: SourceFile[] = [
      {
        path: 'tests/unit/raft-core/harness.ts',
        text: 'while (this.core.hasReady()) sent.push(...this.process(this.core.ready()));',
      },
      {
        path: 'tests/sim/sim-node.ts',
        text: [
          'if (!this.alive || this.#busy) return;',
          'const ready = this.core.ready();',
          'this.core.persisted(ready.readyId);',
        ].join('\n'),
      },
      {
        path: 'tests/unit/raft-core/x.test.ts',
        text: 'for (let r = node.core.ready(); r.append.length > 0; r = node.core.ready()) {}',
      },
      { path: 'raft/runtime.ts', text: 'if (core.hasReady()) await this.#process(core.ready());' },
    ];
    t.match(readyLoopViolations(bad), [
      /harness\.ts calls hasReady/,
      /harness\.ts takes or acknowledges Readies/,
      /sim-node\.ts takes or acknowledges Readies/,
      /x\.test\.ts:1 takes Readies in a loop/,
      /runtime\.ts calls hasReady/,
      /runtime\.ts takes or acknowledges Readies/,
    ]);
    t.equal(readyLoopViolations(bad).length, 6);
  });

t.test('a test may still take single Readies by hand to test the core', async (t) => {
  const good: SourceFile = {
    path: 'tests/unit/raft-core/y.test.ts',
    text: 'const writing = node.core.ready();\nnode.core.persisted(writing.readyId);',
  };
  t.same(readyLoopViolations([good]), []);
});
