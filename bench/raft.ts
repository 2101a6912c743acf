/**
 * The Raft benchmark: three controller processes on loopback with fsync on, and this process as
 * the client, proposing 200-byte entries with 1, 16 and 128 proposals in flight; then failover:
 * under load at 16 in flight, SIGKILL the leader and time until the first commit of a proposal
 * issued after the kill (the same definition the anchors' failover test uses).
 *   npm run bench -- raft [--duration 10] [--warmup 2] [--levels 1,16,128] [--failovers 5]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ControllerCluster } from '../tests/harness/controller-cluster.js';
import { pollUntil } from '../tests/harness/wait-for.js';
import { LatencyRecorder, median, round } from './stats.js';

const RECORD_BYTES = 200;
const PROPOSAL_TIMEOUT_MS = 10_000;
const STEADY_BEFORE_KILL_MS = 500;

interface LoadResult {
  readonly commits: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latency: LatencyRecorder;
}

async function closedLoop(
  cluster: ControllerCluster,
  inFlight: number,
  seconds: number,
): Promise<LoadResult> {
  const value = randomBytes(RECORD_BYTES);
  const latency = new LatencyRecorder();
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await cluster.client.propose([value], PROPOSAL_TIMEOUT_MS);
        latency.record(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { commits: latency.count, errors, seconds: (performance.now() - start) / 1000, latency };
}

function printLevel(inFlight: number, result: LoadResult): Record<string, unknown> {
  const s = result.latency.summary();
  const perSec = result.commits / result.seconds;
  const mbPerSec = (perSec * RECORD_BYTES) / 1048576;
  console.log(`raft inflight=${inFlight}: ${result.commits} commits, ` +
    `${perSec.toFixed(1)} commits/sec (${mbPerSec.toFixed(2)} MB/sec), ` +
    `${s.avgMs.toFixed(2)} ms avg latency, ${s.maxMs.toFixed(2)} ms max latency, ` +
    `${s.p50Ms.toFixed(2)} ms 50th, ${s.p95Ms.toFixed(2)} ms 95th, ` +
    `${s.p99Ms.toFixed(2)} ms 99th, ${s.p999Ms.toFixed(2)} ms 99.9th. errors=${result.errors}`);
  return {
    bench: 'raft', inflight: inFlight, commitsPerSec: round(perSec, 1), p50Ms: round(s.p50Ms),
    p99Ms: round(s.p99Ms), p999Ms: round(s.p999Ms), errors: result.errors,
  };
}

/** One failover: kill the leader under load, time the first commit issued after the kill. */
async function failoverOnce(cluster: ControllerCluster): Promise<number> {
  const leader = await cluster.leader();
  const value = randomBytes(RECORD_BYTES);
  let killAt = Number.POSITIVE_INFINITY;
  let firstCommitAfterKill = Number.POSITIVE_INFINITY;
  const probe = async (): Promise<void> => {
    const t0 = performance.now();
    try {
      await cluster.client.propose([value], PROPOSAL_TIMEOUT_MS);
      const done = performance.now();
      if (t0 >= killAt && done < firstCommitAfterKill) firstCommitAfterKill = done;
    } catch {
      // A failed probe says nothing about when service resumed.
    }
  };
  // An open-loop prober every 5 ms, alongside the closed-loop load, gives the window resolution.
  const probes: Promise<void>[] = [];
  const prober = setInterval(() => probes.push(probe()), 5);
  // Steady load with the prober running before the kill, as the anchors' failover test does.
  await new Promise((resolve) => setTimeout(resolve, STEADY_BEFORE_KILL_MS));
  const process = cluster.processes.get(leader);
  killAt = performance.now();
  process?.signal('SIGKILL');
  const committedAfterKill = (): true | undefined =>
    (firstCommitAfterKill < Infinity ? true : undefined);
  await pollUntil('a commit after the kill', committedAfterKill, PROPOSAL_TIMEOUT_MS, 5);
  clearInterval(prober);
  await Promise.all(probes);
  await process?.exited;
  await cluster.start(leader);
  await caughtUp(cluster, leader);
  return firstCommitAfterKill - killAt;
}

/** Waits until a restarted node holds everything committed when it came back. */
async function caughtUp(cluster: ControllerCluster, id: number): Promise<void> {
  const { status } = await cluster.client.describe(await cluster.leader());
  const target = status.highWatermark;
  await pollUntil(`node ${id} to catch up to offset ${target}`, async () => {
    const own = (await cluster.client.describe(id, 500)).status;
    return own.logEndOffset >= target ? true : undefined;
  }, PROPOSAL_TIMEOUT_MS);
}

async function failovers(cluster: ControllerCluster, runs: number): Promise<number[]> {
  const load = { stop: false };
  const value = randomBytes(RECORD_BYTES);
  const workers = Array.from({ length: 16 }, async () => {
    while (!load.stop) {
      try {
        await cluster.client.propose([value], PROPOSAL_TIMEOUT_MS);
      } catch {
        // Load keeps going through the failover.
      }
    }
  });
  const windows: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ms = await failoverOnce(cluster);
    windows.push(ms);
    console.log(`raft failover ${i + 1}/${runs}: ` +
      `first commit ${ms.toFixed(1)} ms after SIGKILL of the leader`);
  }
  load.stop = true;
  await Promise.all(workers);
  return windows;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      levels: { type: 'string', default: '1,16,128' },
      failovers: { type: 'string', default: '5' },
    },
  });
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const levels = values.levels.split(',').map(Number);
  const runs = Number(values.failovers);
  const cluster = await ControllerCluster.create({ size: 3 });
  const json: Record<string, unknown>[] = [];
  try {
    await cluster.startAll();
    await cluster.leader();
    for (const inFlight of levels) {
      if (warmup > 0) await closedLoop(cluster, inFlight, warmup);
      json.push(printLevel(inFlight, await closedLoop(cluster, inFlight, duration)));
    }
    if (runs > 0) {
      const windows = await failovers(cluster, runs);
      json.push({
        bench: 'raft-failover', runs, medianMs: round(median(windows), 1),
        maxMs: round(Math.max(...windows), 1),
      });
    }
  } finally {
    await cluster.stop();
  }
  for (const line of json) console.log(JSON.stringify(line));
}
