/**
 * A simulated disk for one node: the quorum-state file and the snapshot store (atomic,
 * durable once written), and the log, whose writes (the driver's writeLog commands) are durable
 * only after sync(). A crash loses the writes not yet synced; optionally a prefix of them
 * survives, the last batch possibly torn (only a prefix of its entries kept), as on a real file
 * system that flushed part of the page cache. Writes never survive out of order: that would
 * exceed the fault model. Like the file log, deleting below the log start is lazy: it becomes
 * durable with the next sync, or is lost. A restart aligns the log with the latest snapshot
 * exactly as file-node.ts does (raft/storage/snapshot-alignment.ts).
 */
import { assert } from '../../lib/assert.js';
import type { Prng } from '../../lib/prng.js';
import type { RaftCoreInitialState } from '../../raft/core/config.js';
import type { LogEntry, Offset, QuorumState, SnapshotId } from '../../raft/core/types.js';
import type { WriteLog } from '../../raft/driver/index.js';
import { alignLogWithSnapshot } from '../../raft/storage/snapshot-alignment.js';

export interface StoredSnapshot {
  readonly id: SnapshotId;
  readonly bytes: Uint8Array;
}

type DiskOp =
  | { readonly kind: 'reset'; readonly offset: Offset }
  | { readonly kind: 'truncate'; readonly offset: Offset }
  | { readonly kind: 'logStart'; readonly offset: Offset }
  | { readonly kind: 'append'; readonly entries: readonly LogEntry[] };

export class SimDisk {
  quorum: QuorumState = { epoch: 0, votedId: -1, leaderId: -1 };
  snapshot: StoredSnapshot | undefined;
  #logStart: Offset = 0;
  #entries: LogEntry[] = [];
  #pending: DiskOp[] = [];

  get logStartOffset(): Offset {
    return this.#logStart;
  }

  /** End offset of the synced log. */
  get endOffset(): Offset {
    return this.#logStart + this.#entries.length;
  }

  entryAt(offset: Offset): LogEntry | undefined {
    if (offset < this.#logStart) return undefined;
    return this.#entries[offset - this.#logStart];
  }

  /** True if the synced state holds an entry of `epoch` at `offset` (or a snapshot past it). */
  holds(offset: Offset, epoch: number | undefined): boolean {
    if (offset < 0) return true;
    if (this.snapshot !== undefined && offset < this.snapshot.id.endOffset) return true;
    const entry = this.entryAt(offset);
    return entry !== undefined && (epoch === undefined || entry.epoch === epoch);
  }

  writeQuorum(state: QuorumState): void {
    assert(state.epoch >= this.quorum.epoch, 'durable epoch went backwards');
    this.quorum = state;
  }

  /** The log writes of a writeLog command land in the page cache, in its order. */
  write(command: WriteLog): void {
    if (command.resetTo !== undefined) {
      this.#pending.push({ kind: 'reset', offset: command.resetTo });
    }
    if (command.truncateFrom !== undefined) {
      this.#pending.push({ kind: 'truncate', offset: command.truncateFrom });
    }
    if (command.append.length > 0) this.#pending.push({ kind: 'append', entries: command.append });
  }

  /** After the command's sync: entries below `offset` may go (with the next sync, or never). */
  deleteBefore(offset: Offset | undefined): void {
    if (offset !== undefined) this.#pending.push({ kind: 'logStart', offset });
  }

  sync(): void {
    for (const op of this.#pending) this.#apply(op);
    this.#pending = [];
  }

  /** The state machine wrote a snapshot (atomically and durably, like the quorum state). */
  saveSnapshot(snapshot: StoredSnapshot): void {
    if (this.snapshot === undefined || snapshot.id.endOffset > this.snapshot.id.endOffset) {
      this.snapshot = snapshot;
    }
  }

  /** Power loss: unsynced writes vanish, except maybe a prefix (the last one possibly torn). */
  crash(prng: Prng, keepPrefixChance: number, tornChance: number): void {
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length === 0 || !prng.chance(keepPrefixChance)) return;
    const kept = prng.nextInt(0, pending.length + 1);
    for (let index = 0; index < kept; index++) this.#apply(pending[index]!);
    const next = pending[kept];
    if (next?.kind === 'append' && next.entries.length > 1 && prng.chance(tornChance)) {
      const partial = next.entries.slice(0, prng.nextInt(1, next.entries.length));
      this.#apply({ kind: 'append', entries: partial });
    }
  }

  /** What a restart finds, once the log is aligned with the latest snapshot. */
  recover(): RaftCoreInitialState {
    const alignment = alignLogWithSnapshot(this.snapshot?.id, {
      startOffset: this.#logStart,
      endOffset: this.endOffset,
      epochAt: (offset) => this.entryAt(offset)?.epoch,
    });
    if (alignment.kind === 'deleteBefore') {
      this.#apply({ kind: 'logStart', offset: alignment.offset });
    } else if (alignment.kind === 'resetTo') {
      this.#apply({ kind: 'reset', offset: alignment.offset });
    }
    return {
      quorumState: this.quorum,
      ...(this.snapshot !== undefined ? { snapshot: this.snapshot } : {}),
      entries: [...this.#entries],
      logStartOffset: this.#logStart,
    };
  }

  #apply(op: DiskOp): void {
    switch (op.kind) {
      case 'truncate':
        assert(op.offset >= this.#logStart, 'truncate below the log start');
        if (op.offset < this.endOffset) this.#entries.length = op.offset - this.#logStart;
        return;
      case 'logStart':
        if (op.offset <= this.#logStart) return;
        assert(
          op.offset <= this.endOffset,
          `log start ${op.offset} past the log end ${this.endOffset}`,
        );
        this.#entries = this.#entries.slice(op.offset - this.#logStart);
        this.#logStart = op.offset;
        return;
      case 'reset':
        this.#entries = [];
        this.#logStart = op.offset;
        return;
      case 'append':
        assert(op.entries[0]?.offset === this.endOffset, 'append not at the log end');
        for (const entry of op.entries) this.#entries.push(entry);
        return;
    }
  }
}
