/**
 * Seeded whole-cluster simulations (see simulation.ts): 1,500 runs by default. SIM_RUNS,
 * SIM_FIRST_SEED and SIM_CHAOS_MS adjust the number of runs, the seeds and the per-run length;
 * a failure names its seed and the command that replays it.
 */
import t from 'tap';
import { DEFAULT_CHAOS_MS, runSimulation, SimulationFailure } from './simulation.js';
import type { SimulationResult } from './simulation.js';

const runs = Number(process.env['SIM_RUNS'] ?? 1500);
const firstSeed = Number(process.env['SIM_FIRST_SEED'] ?? 1);
const chaosMs = Number(process.env['SIM_CHAOS_MS'] ?? DEFAULT_CHAOS_MS);

t.test('a run replays exactly from its seed', async (t) => {
  t.same(runSimulation({ seed: 42, chaosMs: 1000 }), runSimulation({ seed: 42, chaosMs: 1000 }));
});

t.test(`${runs} seeded runs keep every invariant and converge after healing`, async (t) => {
  const started = performance.now();
  const totals = new Map<string, number>();
  const mixes = new Set<string>();
  const sizes = new Set<string>();
  let failures = 0;
  for (let seed = firstSeed; seed < firstSeed + runs && failures < 5; seed++) {
    let result: SimulationResult;
    try {
      result = runSimulation({ seed, chaosMs });
    } catch (error) {
      if (!(error instanceof SimulationFailure)) throw error;
      failures += 1;
      t.fail(error.message);
      continue;
    }
    mixes.add(result.faultMix);
    sizes.add(`${result.voters}+${result.observers}`);
    for (const key of [
      'elections',
      'crashes',
      'partitions',
      'snapshotsInstalled',
      'acknowledged',
    ] as const) {
      totals.set(key, (totals.get(key) ?? 0) + result[key]);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  t.comment(
    `${runs} runs (seeds ${firstSeed}..${firstSeed + runs - 1}) in ${seconds} s: ` +
      [...totals].map(([key, value]) => `${key}=${value}`).join(' '),
  );
  t.equal(failures, 0, 'no run failed');
  if (runs >= 100) {
    t.equal(mixes.size, 5, `every fault mix ran: ${[...mixes].join(', ')}`);
    t.ok(sizes.has('3+0') && sizes.has('5+2'), 'cluster sizes vary by seed');
    for (const key of ['crashes', 'partitions', 'snapshotsInstalled'])
      t.ok((totals.get(key) ?? 0) > 0, key);
  }
});
