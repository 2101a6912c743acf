/**
 * The sparse time index of one segment (Kafka's TimeIndex, the `.timeindex` file): entries of
 * (timestamp int64, offset relative to the segment's base int32), big endian. An entry says
 * "up to the batch at this offset, no batch had a larger maxTimestamp"; timestamps strictly
 * increase, so an entry is added, at the same points as the offset index, only when the
 * largest timestamp so far has grown. When a segment stops being active (roll, close) a last
 * entry records its largest timestamp, which retention by time reads.
 *
 * Kept in memory like the offset index (see offset-index.ts for why that is safe).
 */
import { assert } from '../../lib/assert.js';

export const TIME_INDEX_ENTRY_BYTES = 12;
const INITIAL_CAPACITY = 64;

export class TimeIndex {
  #timestamps = new Float64Array(INITIAL_CAPACITY);
  #relativeOffsets = new Int32Array(INITIAL_CAPACITY);
  #count = 0;

  get entries(): number {
    return this.#count;
  }

  last(): { timestampMs: number; relativeOffset: number } | undefined {
    if (this.#count === 0) return undefined;
    const at = this.#count - 1;
    return { timestampMs: this.#timestamps[at]!, relativeOffset: this.#relativeOffsets[at]! };
  }

  /** Adds an entry when `timestampMs` is larger than the last one (Kafka's maybeAppend). */
  maybeAppend(timestampMs: number, relativeOffset: number): boolean {
    const last = this.last();
    if (last !== undefined && timestampMs <= last.timestampMs) return false;
    assert(
      last === undefined || relativeOffset >= last.relativeOffset,
      `time index offset ${relativeOffset} goes back from ${last?.relativeOffset}`,
    );
    if (last !== undefined && relativeOffset === last.relativeOffset) {
      this.#timestamps[this.#count - 1] = timestampMs;
      return true;
    }
    if (this.#count === this.#timestamps.length) this.#grow();
    this.#timestamps[this.#count] = timestampMs;
    this.#relativeOffsets[this.#count] = relativeOffset;
    this.#count++;
    return true;
  }

  /**
   * The relative offset of the last entry whose timestamp is below `timestampMs`: every batch
   * before that offset has a smaller maxTimestamp, so a search can start at that batch.
   * undefined when no entry is below (search from the segment start).
   */
  offsetBefore(timestampMs: number): number | undefined {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#timestamps[mid]! < timestampMs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.#relativeOffsets[lo - 1]!;
  }

  /** Drops entries for offsets at or after `relativeOffset` (the log was cut there). */
  truncateToOffset(relativeOffset: number): void {
    while (this.#count > 0 && this.#relativeOffsets[this.#count - 1]! >= relativeOffset) {
      this.#count--;
    }
  }

  toBytes(): Buffer {
    const bytes = Buffer.allocUnsafe(this.#count * TIME_INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.#count; i++) {
      bytes.writeBigInt64BE(BigInt(this.#timestamps[i]!), i * TIME_INDEX_ENTRY_BYTES);
      bytes.writeInt32BE(this.#relativeOffsets[i]!, i * TIME_INDEX_ENTRY_BYTES + 8);
    }
    return bytes;
  }

  /** Reads a time index file, or says why it cannot be trusted. */
  static fromBytes(bytes: Uint8Array, segmentOffsets: number): TimeIndex | string {
    if (bytes.length % TIME_INDEX_ENTRY_BYTES !== 0) {
      return `size ${bytes.length} is not a multiple of ${TIME_INDEX_ENTRY_BYTES}`;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const index = new TimeIndex();
    for (let at = 0; at < bytes.length; at += TIME_INDEX_ENTRY_BYTES) {
      const timestampMs = Number(view.getBigInt64(at));
      const relativeOffset = view.getInt32(at + 8);
      const last = index.last();
      const entry = at / TIME_INDEX_ENTRY_BYTES;
      if (relativeOffset < 0 || relativeOffset >= segmentOffsets) {
        return `entry ${entry} points past the log (relative offset ${relativeOffset})`;
      }
      if (
        last !== undefined &&
        (timestampMs <= last.timestampMs || relativeOffset < last.relativeOffset)
      ) {
        return `entry ${entry} does not increase`;
      }
      index.maybeAppend(timestampMs, relativeOffset);
    }
    return index;
  }

  #grow(): void {
    const timestamps = new Float64Array(this.#timestamps.length * 2);
    timestamps.set(this.#timestamps);
    const offsets = new Int32Array(this.#relativeOffsets.length * 2);
    offsets.set(this.#relativeOffsets);
    this.#timestamps = timestamps;
    this.#relativeOffsets = offsets;
  }
}
