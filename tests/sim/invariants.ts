/**
 * The invariants of raft-testing.md §3, checked while the simulation runs. Each check reads the
 * node's in-memory core, its simulated durable disk, and global records kept across the whole
 * run (which leader each epoch had, which votes were cast, what was committed at each offset).
 *
 *  1 ElectionSafety        one leader per epoch                      checkNode
 *  2 MonotonicEpoch        durable epoch never decreases, one vote per epoch, persisted before
 *                          any message that carries it is sent       onQuorumWrite, onSend
 *  3 LogMatching           (offset, epoch) names one entry and one predecessor epoch: onReady
 *  4 NoTruncationBelowHW   truncateFrom >= the node's HW             onReady
 *  5 CommittedWriteOnce    offset -> (epoch, data) never changes once committed: onReady
 *  6 QuorumDurability      leader HW <= its own and a majority of voters' synced logs;
 *                          flushedEndOffset is really on disk        checkNode
 *  7 LeaderCompleteness    a new leader holds the whole committed prefix: checkNode
 *  8 MonotonicHW           per incarnation                           onReady
 * 10 Snapshots             at or below HW / committed, state equal to the replay: onSnapshot
 * 11 AckNeverForgotten     a fetchOffset is backed by the synced log when sent: onSend
 * 12 Determinism           equal applied offset -> equal state hash  onApplied
 *    Observers             never vote, never counted (6 counts voters only): onSend
 */
import { assert } from '../../lib/assert.js';
import type { RaftCore } from '../../raft/core/raft-core.js';
import type {
  LogEntry,
  NodeId,
  Offset,
  QuorumState,
  RaftMessage,
  Ready,
  SnapshotId,
} from '../../raft/core/types.js';
import { Role } from '../../raft/core/types.js';
import type { SimDisk } from './sim-disk.js';

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

function violated(rule: string, detail: string): never {
  throw new InvariantViolation(`${rule}: ${detail}`);
}

export interface CheckedNode {
  readonly id: NodeId;
  readonly isVoter: boolean;
  readonly alive: boolean;
  readonly incarnation: number;
  readonly core: RaftCore;
  readonly disk: SimDisk;
  readonly sm: { readonly appliedOffset: Offset; readonly hash: number };
}

export function dataHash(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

interface EntryRecord {
  readonly dataHash: number;
  readonly kind: number;
  prevEpoch: number | undefined;
}

interface NodeRecord {
  incarnation: number;
  highWatermark: Offset;
  wasLeader: boolean;
}

export class InvariantChecker {
  readonly #voters: readonly NodeId[];
  readonly #majority: number;
  readonly #leaders = new Map<number, NodeId>();
  readonly #votes = new Map<string, NodeId>();
  readonly #entries = new Map<string, EntryRecord>();
  readonly #committed: { epoch: number; dataHash: number }[] = [];
  readonly #stateHashes = new Map<Offset, number>();
  readonly #nodes = new Map<NodeId, NodeRecord>();
  elections = 0;

  constructor(voters: readonly NodeId[]) {
    this.#voters = voters;
    this.#majority = Math.floor(voters.length / 2) + 1;
  }

  /** Everything below this offset has been committed somewhere. */
  get committedEndOffset(): Offset {
    return this.#committed.length;
  }

  committedAt(offset: Offset): { epoch: number; dataHash: number } | undefined {
    return this.#committed[offset];
  }

  #record(node: CheckedNode): NodeRecord {
    let record = this.#nodes.get(node.id);
    if (record === undefined || record.incarnation !== node.incarnation) {
      record = { incarnation: node.incarnation, highWatermark: -1, wasLeader: false };
      this.#nodes.set(node.id, record);
    }
    return record;
  }

  onQuorumWrite(node: CheckedNode, next: QuorumState): void {
    const current = node.disk.quorum;
    if (next.epoch < current.epoch)
      violated('MonotonicEpoch', `node ${node.id} ${current.epoch} -> ${next.epoch}`);
    if (
      next.epoch === current.epoch &&
      current.votedId !== -1 &&
      next.votedId !== current.votedId
    ) {
      violated('MonotonicEpoch', `node ${node.id} changed its vote in epoch ${next.epoch}`);
    }
    if (!node.isVoter && next.votedId !== -1) violated('Observers', `observer ${node.id} voted`);
  }

  onSend(node: CheckedNode, message: RaftMessage): void {
    const body = message.body;
    const durable = node.disk.quorum;
    if (body.epoch > durable.epoch) {
      violated(
        'PersistBeforeSend',
        `node ${node.id} sent ${body.type} at epoch ${body.epoch}, durable ${durable.epoch}`,
      );
    }
    if (
      !node.isVoter &&
      (body.type === 'VoteRequest' || (body.type === 'VoteResponse' && body.granted))
    ) {
      violated('Observers', `observer ${node.id} sent ${body.type}`);
    }
    if (body.type === 'VoteResponse' && body.granted && !body.preVote) {
      // Durable means no restart can vote again in that epoch: the vote itself is on disk, or
      // a later epoch is (a vote and a newer epoch adopted before one Ready persists both).
      const votedOnDisk = durable.epoch === body.epoch && durable.votedId === message.to;
      if (!votedOnDisk && durable.epoch <= body.epoch) {
        violated(
          'MonotonicEpoch',
          `node ${node.id} granted ${message.to} in ${body.epoch} before persisting`,
        );
      }
      const key = `${node.id}:${body.epoch}`;
      const previous = this.#votes.get(key);
      if (previous !== undefined && previous !== message.to) {
        violated(
          'MonotonicEpoch',
          `node ${node.id} voted for ${previous} and ${message.to} in ${body.epoch}`,
        );
      }
      this.#votes.set(key, message.to);
    }
    if (
      body.type === 'FetchRequest' &&
      !node.disk.holds(body.fetchOffset - 1, body.lastFetchedEpoch)
    ) {
      violated('AckNeverForgotten', `node ${node.id} fetch at ${body.fetchOffset} not durable`);
    }
  }

  onReady(node: CheckedNode, ready: Ready): void {
    const record = this.#record(node);
    if (ready.highWatermark < record.highWatermark) {
      violated(
        'MonotonicHW',
        `node ${node.id} HW ${record.highWatermark} -> ${ready.highWatermark}`,
      );
    }
    if (ready.truncateFrom !== undefined && ready.truncateFrom < record.highWatermark) {
      violated(
        'NoTruncationBelowHW',
        `node ${node.id} truncates at ${ready.truncateFrom}, HW ${record.highWatermark}`,
      );
    }
    record.highWatermark = ready.highWatermark;
    if (ready.installSnapshot !== undefined) this.#checkSnapshotId(node, ready.installSnapshot.id);
    let previousEpoch =
      ready.append.length > 0 ? node.core.epochAt(ready.append[0]!.offset - 1) : undefined;
    for (const entry of ready.append) {
      this.#checkLogMatching(node, entry, previousEpoch);
      previousEpoch = entry.epoch;
    }
    for (const entry of ready.committed) this.#checkCommitted(node, entry);
  }

  #checkLogMatching(node: CheckedNode, entry: LogEntry, prevEpoch: number | undefined): void {
    const key = `${entry.offset}:${entry.epoch}`;
    const known = this.#entries.get(key);
    const hash = dataHash(entry.data);
    if (known === undefined) {
      this.#entries.set(key, { dataHash: hash, kind: entry.kind, prevEpoch });
      return;
    }
    if (known.dataHash !== hash || known.kind !== entry.kind) {
      violated('LogMatching', `node ${node.id} has another entry at ${key}`);
    }
    if (prevEpoch !== undefined && known.prevEpoch !== undefined && prevEpoch !== known.prevEpoch) {
      violated(
        'LogMatching',
        `node ${node.id} entry ${key} follows epoch ${prevEpoch}, not ${known.prevEpoch}`,
      );
    }
    known.prevEpoch ??= prevEpoch;
  }

  #checkCommitted(node: CheckedNode, entry: LogEntry): void {
    const hash = dataHash(entry.data);
    const known = this.#committed[entry.offset];
    if (known === undefined) {
      if (entry.offset !== this.#committed.length) {
        violated(
          'CommittedWriteOnce',
          `node ${node.id} committed ${entry.offset} past ${this.#committed.length}`,
        );
      }
      this.#committed.push({ epoch: entry.epoch, dataHash: hash });
      return;
    }
    if (known.epoch !== entry.epoch || known.dataHash !== hash) {
      violated('CommittedWriteOnce', `node ${node.id} committed another entry at ${entry.offset}`);
    }
  }

  #checkSnapshotId(node: CheckedNode, id: SnapshotId): void {
    if (id.endOffset > this.#committed.length) {
      violated(
        'Snapshots',
        `node ${node.id} snapshot ${id.endOffset} above committed ${this.#committed.length}`,
      );
    }
    const last = this.#committed[id.endOffset - 1];
    if (last !== undefined && last.epoch !== id.epoch) {
      violated(
        'Snapshots',
        `node ${node.id} snapshot ${id.endOffset} has epoch ${id.epoch}, not ${last.epoch}`,
      );
    }
  }

  /**
   * After applying an entry (the toy machine) or a batch (the metadata one), or loading a
   * snapshot: equal offsets must have equal states.
   */
  onApplied(node: CheckedNode): void {
    const { appliedOffset, hash } = node.sm;
    const known = this.#stateHashes.get(appliedOffset);
    if (known === undefined) this.#stateHashes.set(appliedOffset, hash);
    else if (known !== hash)
      violated('Determinism', `node ${node.id} state differs at ${appliedOffset}`);
  }

  onSnapshotCreated(node: CheckedNode, id: SnapshotId): void {
    if (id.endOffset > node.core.highWatermark) {
      violated('Snapshots', `node ${node.id} snapshot ${id.endOffset} above its HW`);
    }
    this.#checkSnapshotId(node, id);
  }

  /** After every simulation step, for every live node. */
  checkNode(node: CheckedNode): void {
    const core = node.core;
    if (core.epoch < node.disk.quorum.epoch) {
      violated(
        'MonotonicEpoch',
        `node ${node.id} runs epoch ${core.epoch} below durable ${node.disk.quorum.epoch}`,
      );
    }
    const flushed = core.flushedEndOffset;
    if (flushed > core.logStartOffset && !node.disk.holds(flushed - 1, core.epochAt(flushed - 1))) {
      violated('QuorumDurability', `node ${node.id} flushedEndOffset ${flushed} is not on disk`);
    }
    const record = this.#record(node);
    if (core.role !== Role.leader) {
      record.wasLeader = false;
      return;
    }
    const leader = this.#leaders.get(core.epoch);
    if (leader === undefined) {
      this.#leaders.set(core.epoch, node.id);
      this.elections += 1;
    } else if (leader !== node.id) {
      violated('ElectionSafety', `nodes ${leader} and ${node.id} both lead epoch ${core.epoch}`);
    }
    if (!record.wasLeader) this.#checkLeaderCompleteness(node);
    record.wasLeader = true;
    this.#checkQuorumDurability(node);
  }

  #checkLeaderCompleteness(node: CheckedNode): void {
    const core = node.core;
    const start = core.logStartOffset;
    if (start > 0)
      assert(core.snapshotId !== undefined && core.snapshotId.endOffset >= start, 'gap');
    for (let offset = start; offset < this.#committed.length; offset++) {
      const entry = core.entryAt(offset);
      const committed = this.#committed[offset]!;
      if (
        entry === undefined ||
        entry.epoch !== committed.epoch ||
        dataHash(entry.data) !== committed.dataHash
      ) {
        violated(
          'LeaderCompleteness',
          `leader ${node.id} of ${core.epoch} lacks committed offset ${offset}`,
        );
      }
    }
  }

  #checkQuorumDurability(node: CheckedNode): void {
    const core = node.core;
    const hw = core.highWatermark;
    if (hw === 0) return;
    const epoch = core.epochAt(hw - 1);
    if (hw > core.flushedEndOffset || !node.disk.holds(hw - 1, epoch)) {
      violated('QuorumDurability', `leader ${node.id} HW ${hw} above its own synced log`);
    }
    this.#pendingQuorumCheck.push({ leader: node.id, offset: hw - 1, epoch });
  }

  readonly #pendingQuorumCheck: { leader: NodeId; offset: Offset; epoch: number | undefined }[] =
    [];

  /** Leader HW is on the synced logs of a majority of voters (observers never count). */
  checkQuorums(nodes: ReadonlyMap<NodeId, CheckedNode>): void {
    for (const { leader, offset, epoch } of this.#pendingQuorumCheck) {
      let holders = 0;
      for (const voter of this.#voters)
        if (nodes.get(voter)!.disk.holds(offset, epoch)) holders += 1;
      if (holders < this.#majority) {
        violated(
          'QuorumDurability',
          `leader ${leader} HW ${offset + 1} is on ${holders} voters' disks`,
        );
      }
    }
    this.#pendingQuorumCheck.length = 0;
  }
}
