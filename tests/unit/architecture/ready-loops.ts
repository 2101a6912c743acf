/**
 * One Ready loop for the whole project: raft/driver turns the core's Readies into commands,
 * and every host (RaftNode, the simulator's node, the unit harness) runs it. A second loop
 * elsewhere is how the simulator once tested copies of the drivers that disagreed with
 * production (one entry per apply against a whole Ready, the snapshot install on either side
 * of the fsync), so this check finds one by what a loop must do:
 *  - ask the core whether it has a Ready (hasReady()): nowhere but raft/core and raft/driver;
 *  - take Readies (ready()) or acknowledge them (persisted()): not in harnesses, simulators
 *    or any other module; a *.test.ts may take single Readies by hand to test the core's own
 *    contract (pipelining, the async-write race), never in a loop.
 */
import { isTestFile, stripComments, type SourceFile } from './import-graph.js';

/** The core defines the Ready contract, the driver runs it; this folder names the patterns. */
const OWNERS = ['raft/core/', 'raft/driver/', 'tests/unit/architecture/'] as const;

const HAS_READY = /\.hasReady\s*\(/;
const TAKES_OR_ACKNOWLEDGES = /\.(ready\s*\(\s*\)|persisted\s*\()/;
const LOOP_TAKING_READIES = /\b(for|while)\b.*\.ready\s*\(\s*\)/;

export function readyLoopViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (OWNERS.some((owner) => file.path.startsWith(owner))) continue;
    const text = stripComments(file.text);
    if (HAS_READY.test(text)) {
      problems.push(`${file.path} calls hasReady(): only raft/driver runs the Ready loop`);
    }
    if (!isTestFile(file.path)) {
      if (TAKES_OR_ACKNOWLEDGES.test(text)) {
        problems.push(`${file.path} takes or acknowledges Readies: host raft/driver instead`);
      }
      continue;
    }
    text.split('\n').forEach((line, index) => {
      if (LOOP_TAKING_READIES.test(line)) {
        problems.push(`${file.path}:${index + 1} takes Readies in a loop: drive raft/driver`);
      }
    });
  }
  return problems;
}
