/**
 * The in-memory view of the replicated log: every entry from the log start offset to the end,
 * plus an index of where each epoch starts (Kafka's leader-epoch cache), so that divergence can
 * be computed in O(epochs) rather than O(entries).
 *
 * The metadata log is bounded by snapshots, so keeping it whole in memory is affordable. This
 * class knows nothing about durability: PendingWrites tracks what the driver has made durable.
 */
import { assert } from '../../lib/assert.js';
import type { Epoch, LogEntry, Offset } from './types.js';

/** The end of an epoch in a log: the offset one past its last entry (Kafka's OffsetAndEpoch). */
export interface EpochEndOffset {
  readonly epoch: Epoch;
  readonly endOffset: Offset;
}

interface EpochStart {
  readonly epoch: Epoch;
  readonly startOffset: Offset;
}

export class RaftLog {
  #entries: LogEntry[] = [];
  #startOffset: Offset;
  /** Epoch of the entry at startOffset - 1 (0 for an empty prefix); undefined when unknown. */
  #baseEpoch: Epoch | undefined;
  // Invariant: epochs strictly increase and each start lies in [startOffset, endOffset).
  #epochs: EpochStart[] = [];

  constructor(startOffset: Offset, baseEpoch: Epoch | undefined, entries: readonly LogEntry[]) {
    assert(Number.isInteger(startOffset) && startOffset >= 0, `bad log start ${startOffset}`);
    this.#startOffset = startOffset;
    this.#baseEpoch = startOffset === 0 ? 0 : baseEpoch;
    for (const entry of entries) this.append(entry);
  }

  get startOffset(): Offset {
    return this.#startOffset;
  }

  get endOffset(): Offset {
    return this.#startOffset + this.#entries.length;
  }

  get baseEpoch(): Epoch | undefined {
    return this.#baseEpoch;
  }

  /** The epoch of the last entry (or of the prefix the snapshot covers, when empty). */
  lastEpoch(): Epoch {
    const last = this.#entries[this.#entries.length - 1];
    if (last !== undefined) return last.epoch;
    assert(this.#baseEpoch !== undefined, 'empty log whose base epoch is unknown');
    return this.#baseEpoch;
  }

  entryAt(offset: Offset): LogEntry | undefined {
    if (offset < this.#startOffset) return undefined;
    return this.#entries[offset - this.#startOffset];
  }

  /** Epoch of the entry at `offset`; startOffset - 1 answers the base epoch. */
  epochAt(offset: Offset): Epoch | undefined {
    if (offset === this.#startOffset - 1) return this.#baseEpoch;
    return this.entryAt(offset)?.epoch;
  }

  /** Every entry in memory, from the log start offset (read-only; for inspection). */
  entries(): readonly LogEntry[] {
    return this.#entries;
  }

  append(entry: LogEntry): void {
    assert(
      entry.offset === this.endOffset,
      `append at ${entry.offset}, log ends at ${this.endOffset}`,
    );
    const last = this.#epochs[this.#epochs.length - 1];
    const previousEpoch = last?.epoch ?? this.#baseEpoch ?? 0;
    assert(entry.epoch >= previousEpoch, `epoch ${entry.epoch} after ${previousEpoch} (log order)`);
    if (last === undefined || last.epoch !== entry.epoch) {
      this.#epochs.push({ epoch: entry.epoch, startOffset: entry.offset });
    }
    this.#entries.push(entry);
  }

  /** Drops every entry at an offset >= `offset`. */
  truncateFrom(offset: Offset): void {
    assert(
      offset >= this.#startOffset && offset <= this.endOffset,
      `truncate at ${offset} outside log`,
    );
    this.#entries.length = offset - this.#startOffset;
    while (
      this.#epochs.length > 0 &&
      this.#epochs[this.#epochs.length - 1]!.startOffset >= offset
    ) {
      this.#epochs.pop();
    }
  }

  /** Drops every entry below `offset` (they are covered by a snapshot). */
  advanceStartTo(offset: Offset): void {
    assert(
      offset >= this.#startOffset && offset <= this.endOffset,
      `log start ${offset} outside log`,
    );
    if (offset === this.#startOffset) return;
    this.#baseEpoch = this.epochAt(offset - 1);
    this.#entries = this.#entries.slice(offset - this.#startOffset);
    this.#startOffset = offset;
    this.#rebuildEpochs();
  }

  /** Empties the log so that it starts at `offset`, after a prefix whose last epoch is `epoch`. */
  resetTo(offset: Offset, epoch: Epoch): void {
    assert(offset >= 0, `bad reset offset ${offset}`);
    this.#entries = [];
    this.#epochs = [];
    this.#startOffset = offset;
    this.#baseEpoch = offset === 0 ? 0 : epoch;
  }

  /** Entries from `from` on, up to `maxBytes` of data but always at least one if there is one. */
  read(from: Offset, maxBytes: number): LogEntry[] {
    assert(from >= this.#startOffset && from <= this.endOffset, `read at ${from} outside log`);
    const result: LogEntry[] = [];
    let bytes = 0;
    for (let index = from - this.#startOffset; index < this.#entries.length; index++) {
      const entry = this.#entries[index]!;
      bytes += entry.data.byteLength;
      if (result.length > 0 && bytes > maxBytes) break;
      result.push(entry);
    }
    return result;
  }

  /** Sum of data bytes of the entries in [from, to). */
  bytesBetween(from: Offset, to: Offset): number {
    let bytes = 0;
    for (let offset = Math.max(from, this.#startOffset); offset < to; offset++) {
      bytes += this.entryAt(offset)?.data.byteLength ?? 0;
    }
    return bytes;
  }

  /**
   * The largest epoch <= `epoch` in this log and the offset where it ends (KIP-595 divergence,
   * Kafka's endOffsetForEpoch). Undefined when the answer lies below the log start and is lost.
   */
  endOffsetForEpoch(epoch: Epoch): EpochEndOffset | undefined {
    for (let index = this.#epochs.length - 1; index >= 0; index--) {
      const range = this.#epochs[index]!;
      if (range.epoch <= epoch) {
        const next = this.#epochs[index + 1];
        return { epoch: range.epoch, endOffset: next?.startOffset ?? this.endOffset };
      }
    }
    // Every entry in memory is of a later epoch: the answer is the prefix, if its epoch qualifies
    // (the base epoch is the largest epoch below the log start, since epochs never decrease).
    if (this.#baseEpoch !== undefined && this.#baseEpoch <= epoch) {
      return { epoch: this.#baseEpoch, endOffset: this.#startOffset };
    }
    return undefined;
  }

  #rebuildEpochs(): void {
    this.#epochs = [];
    for (const entry of this.#entries) {
      const last = this.#epochs[this.#epochs.length - 1];
      if (last === undefined || last.epoch !== entry.epoch) {
        this.#epochs.push({ epoch: entry.epoch, startOffset: entry.offset });
      }
    }
  }
}
