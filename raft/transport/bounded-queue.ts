/**
 * A fixed-capacity FIFO ring buffer that drops its oldest element when full. Used for per-peer
 * send queues: Raft resends whatever is lost, so under pressure the freshest messages matter
 * most. O(1) push and shift (no Array.shift()).
 */
import { assert } from '../../lib/assert.js';

export class DropOldestQueue<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    assert(Number.isSafeInteger(capacity) && capacity > 0, 'queue capacity must be positive');
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  /** Appends; returns the element dropped to make room, if the queue was full. */
  push(item: T): T | undefined {
    let dropped: T | undefined;
    if (this.count === this.capacity) dropped = this.shift();
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return dropped;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  clear(): void {
    while (this.count > 0) this.shift();
  }
}
