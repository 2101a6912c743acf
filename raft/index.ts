/**
 * raft/: Raft consensus for the controllers' metadata log (KIP-595 with KIP-996 pre-vote and
 * KIP-630 snapshots). The folder knows nothing of what the entries mean: a user supplies a
 * StateMachine and proposes opaque bytes.
 *
 *  - core/       the pure, synchronous Raft state machine: tick/step/propose in, Ready out
 *                (see core/index.ts for the core's contracts);
 *  - driver/     the one Ready loop, synchronous and I/O-free: it turns Readies into commands
 *                (persist the quorum state, send, write a snapshot, write the log) and takes
 *                completions; it owns group commit, the proposal callbacks with deadlines in
 *                ticks, the applied offset, the snapshot policy and the committed and
 *                leader-change listeners (see driver/index.ts for the order and why);
 *  - storage/    the durable log (segments, CRC-32C chained batches, torn-tail recovery), the
 *                quorum-state file and the snapshot store, each with an in-memory twin;
 *  - transport/  the WebSocket transport between voters and observers, with bounded queues
 *                and reconnect, plus the request channel other layers ride on;
 *  - runtime.ts  RaftNode: hosts the driver on real timers (lib/clock.ts), disk and sockets,
 *                with proposal promises on top of the driver's callbacks;
 *  - raft-client.ts  RaftClient, what users drive Raft through (Kafka's RaftClient): RaftNode
 *                and the simulator's node implement it;
 *  - file-node.ts  opens a RaftNode whose state lives in one directory.
 * Hosts of the driver: RaftNode, tests/sim/sim-node.ts and tests/unit/raft-core/harness.ts;
 * none has a Ready loop of its own (tests/unit/architecture/ready-loops.test.ts).
 *
 * Contracts: persist before send (Raft thesis §3.8); committed entries reach the state machine
 * exactly once, in offset order, data and control alike, a Ready at a time (state-machine.ts);
 * a proposal succeeds only when its entry commits at the offset and epoch it was appended at,
 * and fails otherwise (driver/proposals.ts). raft/ imports only lib/ (raft/core: only lib/ and
 * itself).
 */
export { RaftNode, DEFAULT_LIMITS, DEFAULT_TIMING } from './runtime.js';
export type {
  QuorumDescription, RaftLimits, RaftNodeOptions, RaftTiming, ReplicaDescription,
} from './runtime.js';
export { openFileRaftNode, type FileRaftNodeOptions, type OpenedRaftNode } from './file-node.js';
export { ProposalError, ProposalErrorCode, type Committed } from './pending-proposals.js';
export type { RaftClient } from './raft-client.js';
export type { LeaderAndEpoch, ProposalCallback, ProposalResult } from './driver/index.js';
export type { StateMachine } from './state-machine.js';
