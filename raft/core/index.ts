/**
 * raft/core: the Raft state machine of the controller quorum, pure and synchronous.
 *
 * What it is. KIP-595 pull-based Raft (Raft's "term" is the epoch, its "index" the offset) with
 * KIP-996 pre-vote, check-quorum, graceful resignation (EndQuorumEpoch), observers, and KIP-630
 * snapshots fetched in chunks. No I/O, clocks, timers, promises or Math.random: time is tick(),
 * randomness is config.prng, so the simulator runs this exact code under a seeded scheduler.
 * It imports only lib/ and itself.
 *
 * Driving it (RaftCore): raft/driver does this for every host (RaftNode, the simulator, the
 * unit harness); what it relies on is:
 *  - tick() once per tick interval; step(message) for every message addressed to this node;
 *    peerDisconnected(id) when the transport sees a peer's connection close; propose(data) on
 *    the leader (NOT_LEADER_OR_FOLLOWER with a hint elsewhere; THROTTLING_QUOTA_EXCEEDED, which
 *    is retriable, when more than maxUncommittedBytes are waiting for commit: backpressure);
 *    resign() for a graceful handover;
 *    snapshotCreated(id, bytes, retainEntries) after the state machine wrote a durable snapshot.
 *  - Whenever hasReady(), take ready() and process it strictly in this order: 1 persist
 *    quorumState; 2 send messages; 3 make installSnapshot, truncateFrom, append and
 *    logStartOffset durable (driver/index.ts: the snapshot before the log reset, then one
 *    fsync); 4 send messagesAfterPersist; 5 persisted(readyId); 6 apply committed. Take the
 *    next Ready only after persisted() of the previous one (the core tolerates pipelining, but
 *    messages of Ready n+1 may depend on state persisted by Ready n).
 *    The constructor may already leave a Ready (a restarted leader resigns; one voter elects
 *    itself), so check hasReady() right after construction.
 *  - Between ready() and persisted() the driver may keep calling step() and tick(): the core
 *    tracks which offsets are really flushed even if the log is truncated meanwhile (ABA race).
 *  - peerDisconnected() matters for speed, not safety: a follower that loses its leader's
 *    connection runs within electionTimeoutTicks/10 instead of fetchTimeoutTicks, a candidate
 *    counts a disconnected voter as a lost vote, and a leader stops long-polling that peer.
 *
 * Contracts the rest of the system relies on:
 *  - Persist before send: a vote, an adopted epoch or a learned leader is in Ready.quorumState
 *    and every message that depends on it is in the same or a later Ready. Fetch requests (whose
 *    fetchOffset is an acknowledgement) are in messagesAfterPersist.
 *  - The high watermark never decreases; a leader's never exceeds its flushed end offset or the
 *    end offset of a majority of voters, and moves only once an entry of its epoch is committed.
 *    truncateFrom is never below the high watermark.
 *  - committed hands out every entry below the high watermark exactly once, in offset order,
 *    data and leaderChange alike. At start-up the state machine loads initial.snapshot (if any)
 *    and committed continues from its end; after Ready.installSnapshot likewise.
 *  - A node restarted with a quorum state naming itself leader starts as Resigned.
 *  - Snapshots: the core keeps the bytes of the latest one (and of up to SNAPSHOTS_HELD_MAX
 *    older ones while followers still pull them) to serve FetchSnapshot; the whole log from
 *    logStartOffset is in memory, which the metadata log affords because snapshots bound it.
 *  - Bugs fail an always-on assert (lib/assert.ts); expected conditions are values or messages.
 *
 * Files: log.ts (in-memory log and epoch index), pending-writes.ts (Ready writes and flush
 * tracking), state.ts (shared state and generic transitions), election.ts (pre-vote, vote),
 * leader.ts (leader and resigned), follower.ts (followers and observers), raft-core.ts (facade).
 */
export { RaftCore } from './raft-core.js';
export { encodeLeaderChange } from './leader.js';
export type { RaftCoreConfig, RaftCoreInitialState } from './config.js';
export * from './types.js';
