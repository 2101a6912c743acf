/**
 * Log writes waiting for the next Ready, and the bookkeeping of what the driver made durable.
 *
 * The core changes its in-memory log at once; the driver applies the same changes to disk one
 * Ready later and reports them with persisted(readyId). In between, the log may be truncated
 * again (a new leader's divergence arrives while the fsync runs): the etcd "async storage writes
 * ABA race". A flushed end offset therefore never counts an offset at or above a truncation that
 * happened after the write was handed out, because the bytes on disk there are no longer ours.
 */
import { assert } from '../../lib/assert.js';
import type { LogEntry, Offset, SnapshotId } from './types.js';

/** The disk part of a Ready, in the order the driver applies it. */
export interface LogWrites {
  readonly truncateFrom?: Offset;
  readonly logStartOffset?: Offset;
  readonly installSnapshot?: { readonly id: SnapshotId; readonly bytes: Uint8Array };
  readonly append: readonly LogEntry[];
}

interface InFlightReady {
  readonly readyId: number;
  /** The log end offset this Ready makes durable; undefined when it writes nothing. */
  flushEndOffset: Offset | undefined;
}

/** Bound on Readies handed out but not yet persisted: the driver pipelines at most this many. */
export const IN_FLIGHT_READIES_MAX = 1024;

export class PendingWrites {
  #append: LogEntry[] = [];
  #truncateFrom: Offset | undefined;
  #logStartOffset: Offset | undefined;
  #install: { id: SnapshotId; bytes: Uint8Array } | undefined;
  /** The end offset of the driver's log once it has applied every Ready handed out so far. */
  #driverEndOffset: Offset;
  #inFlight: InFlightReady[] = [];
  // Invariant: flushedEndOffset <= the in-memory log end offset, and the entries below it are on
  // disk exactly as they are in memory.
  #flushedEndOffset: Offset;

  constructor(durableEndOffset: Offset) {
    this.#driverEndOffset = durableEndOffset;
    this.#flushedEndOffset = durableEndOffset;
  }

  get flushedEndOffset(): Offset {
    return this.#flushedEndOffset;
  }

  hasWrites(): boolean {
    return (
      this.#append.length > 0 ||
      this.#truncateFrom !== undefined ||
      this.#logStartOffset !== undefined ||
      this.#install !== undefined
    );
  }

  appended(entry: LogEntry): void {
    this.#append.push(entry);
  }

  truncated(offset: Offset): void {
    while (this.#append.length > 0 && this.#append[this.#append.length - 1]!.offset >= offset) {
      this.#append.pop();
    }
    if (offset < this.#driverEndOffset) {
      this.#truncateFrom = Math.min(this.#truncateFrom ?? offset, offset);
    }
    this.#lowerFlushed(offset);
  }

  logStartMoved(offset: Offset): void {
    this.#logStartOffset = Math.max(this.#logStartOffset ?? offset, offset);
  }

  snapshotInstalled(id: SnapshotId, bytes: Uint8Array): void {
    // The install replaces the whole log, so earlier pending changes are moot.
    this.#append = [];
    this.#truncateFrom = undefined;
    this.#logStartOffset = undefined;
    this.#install = { id, bytes };
    this.#lowerFlushed(id.endOffset);
  }

  /** Hands the pending writes to Ready `readyId`; `logEndOffset` is the in-memory end now. */
  take(readyId: number, logEndOffset: Offset): LogWrites {
    assert(this.#inFlight.length < IN_FLIGHT_READIES_MAX, 'too many Readies not persisted');
    const writes: LogWrites = {
      ...(this.#truncateFrom !== undefined ? { truncateFrom: this.#truncateFrom } : {}),
      ...(this.#logStartOffset !== undefined ? { logStartOffset: this.#logStartOffset } : {}),
      ...(this.#install !== undefined ? { installSnapshot: this.#install } : {}),
      append: this.#append,
    };
    const wrote = this.hasWrites();
    this.#inFlight.push({ readyId, flushEndOffset: wrote ? logEndOffset : undefined });
    this.#append = [];
    this.#truncateFrom = undefined;
    this.#logStartOffset = undefined;
    this.#install = undefined;
    this.#driverEndOffset = logEndOffset;
    return writes;
  }

  /** The driver finished steps 1-4 of `readyId` (and, by the ordering rule, of earlier ones). */
  persisted(readyId: number): void {
    const first = this.#inFlight[0];
    assert(first !== undefined && first.readyId <= readyId, `persisted(${readyId}) not in flight`);
    assert(
      this.#inFlight.some((r) => r.readyId === readyId),
      `persisted(${readyId}) twice?`,
    );
    while (this.#inFlight.length > 0 && this.#inFlight[0]!.readyId <= readyId) {
      const ready = this.#inFlight.shift()!;
      if (ready.flushEndOffset !== undefined) this.#flushedEndOffset = ready.flushEndOffset;
    }
  }

  /** A truncation (or reset) in memory: bytes on disk at or above `offset` are not ours now. */
  #lowerFlushed(offset: Offset): void {
    this.#flushedEndOffset = Math.min(this.#flushedEndOffset, offset);
    for (const ready of this.#inFlight) {
      if (ready.flushEndOffset !== undefined) {
        ready.flushEndOffset = Math.min(ready.flushEndOffset, offset);
      }
    }
  }
}
