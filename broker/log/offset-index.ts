/**
 * The sparse offset index of one segment (Kafka's OffsetIndex, the `.index` file): entries of
 * (offset relative to the segment's base int32, file position int32), big endian, one for the
 * first batch after every log.index.interval.bytes of batches. Each entry names a batch's
 * baseOffset and the position where that batch starts, so the batch holding any offset starts
 * at or after the entry found by a binary search for it.
 *
 * The index lives in memory (two growing typed arrays) and is written to its file on roll,
 * flush and close. That costs no durability: recovery checks the file against the log and
 * rebuilds it when it is missing, of the wrong size or inconsistent, and always rebuilds the
 * indexes of a segment whose tail it had to check after an unclean shutdown.
 */
import { assert } from '../../lib/assert.js';

export const OFFSET_INDEX_ENTRY_BYTES = 8;
const INITIAL_CAPACITY = 64;

export class OffsetIndex {
  #relativeOffsets = new Int32Array(INITIAL_CAPACITY);
  #positions = new Int32Array(INITIAL_CAPACITY);
  #count = 0;

  get entries(): number {
    return this.#count;
  }

  /** Invariant: relative offsets and positions strictly increase along the index. */
  append(relativeOffset: number, position: number): void {
    const last = this.#count - 1;
    assert(
      last < 0 ||
        (relativeOffset > this.#relativeOffsets[last]! && position > this.#positions[last]!),
      `offset index entry (${relativeOffset}, ${position}) does not follow the last one`,
    );
    if (this.#count === this.#positions.length) this.#grow();
    this.#relativeOffsets[this.#count] = relativeOffset;
    this.#positions[this.#count] = position;
    this.#count++;
  }

  /** Position of the last entry whose offset is <= relativeOffset; 0 when none is. */
  positionAtOrBefore(relativeOffset: number): number {
    const at = this.#lastAtOrBelow(this.#relativeOffsets, relativeOffset);
    return at < 0 ? 0 : this.#positions[at]!;
  }

  /** The last entry, for recovery checks; undefined when empty. */
  last(): { relativeOffset: number; position: number } | undefined {
    if (this.#count === 0) return undefined;
    const at = this.#count - 1;
    return { relativeOffset: this.#relativeOffsets[at]!, position: this.#positions[at]! };
  }

  /** Drops the entries of batches at or after `position` (the log was cut there). */
  truncateToPosition(position: number): void {
    this.#count = this.#lastAtOrBelow(this.#positions, position - 1) + 1;
  }

  toBytes(): Buffer {
    const bytes = Buffer.allocUnsafe(this.#count * OFFSET_INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.#count; i++) {
      bytes.writeInt32BE(this.#relativeOffsets[i]!, i * OFFSET_INDEX_ENTRY_BYTES);
      bytes.writeInt32BE(this.#positions[i]!, i * OFFSET_INDEX_ENTRY_BYTES + 4);
    }
    return bytes;
  }

  /**
   * Reads an index file, or says why it cannot be trusted: a size that is not a whole number of
   * entries, entries that do not increase, or a position at or past the end of the log.
   */
  static fromBytes(bytes: Uint8Array, logBytes: number): OffsetIndex | string {
    if (bytes.length % OFFSET_INDEX_ENTRY_BYTES !== 0) {
      return `size ${bytes.length} is not a multiple of ${OFFSET_INDEX_ENTRY_BYTES}`;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const index = new OffsetIndex();
    for (let at = 0; at < bytes.length; at += OFFSET_INDEX_ENTRY_BYTES) {
      const relativeOffset = view.getInt32(at);
      const position = view.getInt32(at + 4);
      const last = index.last();
      if (relativeOffset < 0 || position < 0 || position >= logBytes) {
        return `entry ${at / OFFSET_INDEX_ENTRY_BYTES} points past the log (${position})`;
      }
      const increases =
        last === undefined || (relativeOffset > last.relativeOffset && position > last.position);
      if (!increases) {
        return `entry ${at / OFFSET_INDEX_ENTRY_BYTES} does not increase`;
      }
      index.append(relativeOffset, position);
    }
    return index;
  }

  #lastAtOrBelow(values: Int32Array, target: number): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  #grow(): void {
    const grow = (old: Int32Array) => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.#relativeOffsets = grow(this.#relativeOffsets);
    this.#positions = grow(this.#positions);
  }
}
