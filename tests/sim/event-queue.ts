/**
 * The simulator's scheduler: a binary heap of actions keyed by (virtual time, insertion order),
 * so that runs are replayed exactly from their seed. Time is virtual milliseconds. An event's
 * action may defer work to its own end (defer), which then runs before anything else.
 */
import { assert } from '../../lib/assert.js';

interface ScheduledEvent {
  readonly time: number;
  readonly sequence: number;
  readonly action: () => void;
}

export class EventQueue {
  #heap: ScheduledEvent[] = [];
  #sequence = 0;
  #now = 0;
  #processed = 0;
  #deferred: (() => void)[] = [];

  get now(): number {
    return this.#now;
  }

  get processed(): number {
    return this.#processed;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Runs `action` `delay` ms from now (0 means after everything already due now). */
  after(delay: number, action: () => void): void {
    assert(delay >= 0 && Number.isFinite(delay), `bad delay ${delay}`);
    this.#push({ time: this.#now + Math.round(delay), sequence: this.#sequence++, action });
  }

  /**
   * Runs `action` once the current event's action returned, as part of the same event (what
   * setImmediate is to one turn of Node's event loop: RaftNode's group commit).
   */
  defer(action: () => void): void {
    this.#deferred.push(action);
  }

  /** Runs the next event (and what it deferred); false when none is due at or before `until`. */
  runNext(until: number): boolean {
    const next = this.#heap[0];
    if (next === undefined || next.time > until) return false;
    this.#pop();
    this.#now = next.time;
    this.#processed += 1;
    next.action();
    for (let index = 0; index < this.#deferred.length; index++) this.#deferred[index]!();
    this.#deferred.length = 0;
    return true;
  }

  /** Advances the clock to `time` once nothing before it is left. */
  advanceTo(time: number): void {
    assert(this.#heap.length === 0 || this.#heap[0]!.time >= time, 'events left before target');
    this.#now = Math.max(this.#now, time);
  }

  #less(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
  }

  #push(event: ScheduledEvent): void {
    const heap = this.#heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#less(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.#less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
