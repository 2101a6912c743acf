/**
 * A driver on its own, with a state machine that records what it is given, for tests that
 * watch the commands one by one (tests/unit/raft-core/harness.ts runs whole clusters of them).
 */
import { createPrng } from '../../../lib/prng.js';
import type { LogEntry, NodeId, SnapshotId } from '../../../raft/core/types.js';
import { CommandKind, RaftDriver } from '../../../raft/driver/index.js';
import type {
  DriverCommand, DriverLimits, SnapshotPolicy,
} from '../../../raft/driver/index.js';
import type { StateMachine } from '../../../raft/state-machine.js';
import { TEST_CONFIG, TEST_LIMITS, emptyDurable, initialState } from '../raft-core/harness.js';
import type { Durable, TestConfig } from '../raft-core/harness.js';

export class RecordingMachine implements StateMachine {
  readonly applied: LogEntry[] = [];
  readonly restored: SnapshotId[] = [];

  apply(entries: readonly LogEntry[]): void {
    this.applied.push(...entries);
  }

  snapshot(): Uint8Array {
    return new TextEncoder().encode(`state after ${this.applied.length} entries`);
  }

  restore(id: SnapshotId): void {
    this.restored.push(id);
  }
}

export const NEVER: SnapshotPolicy = { afterApply: () => undefined, reset: () => {} };

export interface DriverFixture {
  readonly driver: RaftDriver;
  readonly machine: RecordingMachine;
}

export function driverFor(options: {
  readonly nodeId: NodeId;
  readonly voters: readonly NodeId[];
  readonly limits?: Partial<DriverLimits>;
  readonly policy?: SnapshotPolicy;
  readonly durable?: Durable;
  readonly config?: Partial<TestConfig>;
}): DriverFixture {
  const machine = new RecordingMachine();
  const driver = new RaftDriver({
    config: {
      ...TEST_CONFIG, ...options.config, nodeId: options.nodeId, voters: options.voters,
      prng: createPrng(options.nodeId),
    },
    initial: initialState(options.durable ?? emptyDurable()),
    stateMachine: machine,
    limits: { ...TEST_LIMITS, ...options.limits },
    snapshotPolicy: options.policy ?? NEVER,
  });
  return { driver, machine };
}

/** Performs every command at once (an instant disk); returns them in order. */
export function runInstantly(driver: RaftDriver): DriverCommand[] {
  const commands: DriverCommand[] = [];
  for (let command = driver.next(); command !== undefined; command = driver.next()) {
    commands.push(command);
    if (command.kind !== CommandKind.send) driver.completed(command);
  }
  return commands;
}
