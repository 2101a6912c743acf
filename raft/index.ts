/**
 * raft/: Raft consensus for the controllers' metadata log (KIP-595 with KIP-996 pre-vote and
 * KIP-630 snapshots). The folder knows nothing of what the entries mean: a user supplies a
 * StateMachine and proposes opaque bytes.
 *
 *  - core/       the pure, synchronous Raft state machine: tick/step/propose in, Ready out
 *                (see core/index.ts for the Ready processing order and the contracts);
 *  - storage/    the durable log (segments, CRC-32C chained batches, torn-tail recovery), the
 *                quorum-state file and the snapshot store, each with an in-memory twin;
 *  - transport/  the WebSocket transport between voters and observers, with bounded queues
 *                and reconnect, plus the request channel other layers ride on;
 *  - runtime.ts  RaftNode: the one loop that drives the core with real timers, disk and
 *                sockets, with group commit and proposal futures;
 *  - file-node.ts  opens a RaftNode whose state lives in one directory.
 *
 * Contracts: persist before send (Raft thesis §3.8); committed entries reach the state machine
 * exactly once, in offset order, data and control alike (state-machine.ts); a proposal resolves
 * only when its entry commits at the offset and epoch it was appended at, and fails otherwise
 * (pending-proposals.ts). raft/ imports only lib/ (raft/core: only lib/ and itself).
 */
export { RaftNode, DEFAULT_LIMITS, DEFAULT_TIMING } from './runtime.js';
export type {
  QuorumDescription, RaftLimits, RaftNodeOptions, RaftTiming, ReplicaDescription,
} from './runtime.js';
export { openFileRaftNode, type FileRaftNodeOptions, type OpenedRaftNode } from './file-node.js';
export { ProposalError, ProposalErrorCode, type Committed } from './pending-proposals.js';
export type { StateMachine } from './state-machine.js';
