/**
 * The simulator's command line (built to dist/tests/sim/cli.js; `npm run sim -- ...`):
 *   --seed N          replay exactly one run and print its counters
 *   --runs N          soak: N runs from --first-seed (default: derived from the clock, printed)
 *   --chaos-ms N      virtual milliseconds of faults per run (default 3000)
 *   --keep-going      do not stop at the first failing seed
 *   --metadata        run the metadata simulation (the quorum controller on the simulated
 *                     cluster, metadata-simulation.ts) instead of the toy state machine
 * Prints one summary line; exits 1 if any run failed (each failure names its seed and replay).
 */
import { parseArgs } from 'node:util';
import { runMetadataSimulation } from './metadata-simulation.js';
import { DEFAULT_CHAOS_MS, runSimulation, SimulationFailure } from './simulation.js';
import type { SimulationOptions, SimulationResult } from './simulation.js';

// tap runs every file of a folder it is given; this one is a tool, not a test.
if (process.env['TAP'] === '1') {
  console.log('1..0 # SKIP the simulator CLI is not a test');
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string' },
    'first-seed': { type: 'string' },
    'chaos-ms': { type: 'string' },
    'keep-going': { type: 'boolean', default: false },
    metadata: { type: 'boolean', default: false },
  },
});

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    console.error(`--${name} must be an integer, got ${text}`);
    process.exit(2);
  }
  return value;
}

const chaosMs = integer('chaos-ms', values['chaos-ms'], DEFAULT_CHAOS_MS);
const run: (options: SimulationOptions) => SimulationResult = values.metadata
  ? runMetadataSimulation
  : runSimulation;
const single = values.seed !== undefined;
const runs = single ? 1 : integer('runs', values.runs, 100);
const firstSeed = single
  ? integer('seed', values.seed, 0)
  : integer('first-seed', values['first-seed'], Date.now() % 1_000_000_000);

const totals = {
  elections: 0,
  crashes: 0,
  partitions: 0,
  resignations: 0,
  snapshotsCreated: 0,
  snapshotsInstalled: 0,
  proposals: 0,
  acknowledged: 0,
  events: 0,
  messages: 0,
};
const failures: number[] = [];
let maxConvergeMs = 0;
const started = performance.now();
let completed = 0;
for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
  let result: SimulationResult;
  try {
    result = run({ seed, chaosMs });
  } catch (error) {
    if (!(error instanceof SimulationFailure)) throw error;
    failures.push(seed);
    console.error(error.message);
    if (error.cause instanceof Error && error.cause.stack !== undefined)
      console.error(error.cause.stack);
    completed += 1;
    if (!values['keep-going']) break;
    continue;
  }
  completed += 1;
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result[key];
  maxConvergeMs = Math.max(maxConvergeMs, result.convergedAfterMs);
  if (single) console.log(JSON.stringify(result));
  else if (completed % 1000 === 0) {
    const elapsed = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`... ${completed} runs, ${failures.length} failed, ${elapsed} s`);
  }
}
const elapsedSeconds = (performance.now() - started) / 1000;
const counters = Object.entries(totals)
  .map(([key, value]) => `${key}=${value}`)
  .join(' ');
const lastSeed = firstSeed + completed - 1;
const failed = failures.length > 0 ? ` failedSeeds=${failures.slice(0, 20).join(',')}` : '';
console.log(
  `${values.metadata ? 'metadata ' : ''}sim: runs=${completed} failed=${failures.length} ` +
    `seeds=${firstSeed}..${lastSeed} ` +
    `chaosMs=${chaosMs} elapsed=${elapsedSeconds.toFixed(1)}s ${counters} ` +
    `maxConvergeMs=${maxConvergeMs}${failed}`,
);
process.exit(failures.length > 0 ? 1 : 0);
