/**
 * What a simulated node applies committed entries to: a raft/ StateMachine (whole Readies, in
 * offset order, every entry kind) that also tells the simulator where it stands and what its
 * state hashes to. The toy (toy-state-machine.ts) and the metadata one (metadata-sim-machine.ts)
 * implement it.
 */
import type { Offset } from '../../raft/core/types.js';
import type { StateMachine } from '../../raft/state-machine.js';

export interface SimStateMachine extends StateMachine {
  /** One past the last applied entry. */
  readonly appliedOffset: Offset;
  /** Equal applied offsets must give equal hashes on every node (Determinism). */
  readonly hash: number;
}

export interface StateMachineFactory<M extends SimStateMachine> {
  /** An empty state machine; it calls `checkpoint` whenever its state may be compared. */
  create(checkpoint: () => void): M;
}
