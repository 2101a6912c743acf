/**
 * bench/: benchmarks, run with `npm run bench -- <name> [options]` after `npm run build`.
 * Each prints Kafka perf-tool style summary lines and ends with one JSON line per measurement.
 * Benchmarks are measurements, never pass/fail tests: targets are compared in the notes.
 */
const benches: Record<string, () => Promise<{ main: (argv: string[]) => Promise<void> }>> = {
  raft: () => import('./raft.js'),
  metadata: () => import('./metadata.js'),
  produce: () => import('./produce.js'),
  consume: () => import('./consume.js'),
  e2e: () => import('./e2e.js'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (load === undefined) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(1);
}
await (await load()).main(rest);
process.exit(0);
