/**
 * Seeded metadata simulations (metadata-simulation.ts): the quorum controller on the simulated
 * Raft cluster, with faults. 1,000 runs by default (about 10 s on one core); METADATA_SIM_RUNS,
 * METADATA_SIM_FIRST_SEED and SIM_CHAOS_MS adjust the number of runs, the seeds and the per-run
 * length. A failing run prints its seed and the command that replays it:
 *   npm run build && npm run sim -- --metadata --seed N
 */
import t from 'tap';
import { runMetadataSimulation } from './metadata-simulation.js';
import type { MetadataSimulationResult } from './metadata-simulation.js';
import { DEFAULT_CHAOS_MS, SimulationFailure } from './simulation.js';

const runs = Number(process.env['METADATA_SIM_RUNS'] ?? 1000);
const firstSeed = Number(process.env['METADATA_SIM_FIRST_SEED'] ?? 1);
const chaosMs = Number(process.env['SIM_CHAOS_MS'] ?? DEFAULT_CHAOS_MS);

t.test('a metadata run replays exactly from its seed', async (t) => {
  const options = { seed: 7, chaosMs: 1000 };
  t.same(runMetadataSimulation(options), runMetadataSimulation(options));
});

t.test(`${runs} seeded metadata runs keep every invariant and converge`, async (t) => {
  const started = performance.now();
  const totals = new Map<string, number>();
  let failures = 0;
  for (let seed = firstSeed; seed < firstSeed + runs && failures < 5; seed++) {
    let result: MetadataSimulationResult;
    try {
      result = runMetadataSimulation({ seed, chaosMs });
    } catch (error) {
      if (!(error instanceof SimulationFailure)) throw error;
      failures += 1;
      t.fail(error.message);
      continue;
    }
    for (const key of [
      'elections', 'crashes', 'snapshotsInstalled', 'activations', 'acknowledged',
      'topicsCreated', 'brokersFenced', 'leaderEpochsSeen',
    ] as const) {
      totals.set(key, (totals.get(key) ?? 0) + result[key]);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  t.comment(
    `${runs} metadata runs (seeds ${firstSeed}..${firstSeed + runs - 1}) in ${seconds} s: ` +
      [...totals].map(([key, value]) => `${key}=${value}`).join(' '),
  );
  t.equal(failures, 0, 'no run failed');
  if (runs >= 100) {
    // The workload must reach what it is meant to test, or the checks above prove little.
    for (const key of ['snapshotsInstalled', 'topicsCreated', 'brokersFenced', 'crashes'])
      t.ok((totals.get(key) ?? 0) > 0, key);
    t.ok((totals.get('activations') ?? 0) > runs, 'controllers fail over');
  }
});
