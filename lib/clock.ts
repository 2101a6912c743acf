/**
 * The one source of time for code that is not pure: the wall clock and timers behind a single
 * interface, so that a test (ManualClock) or the simulator (its event queue) can stand in for
 * them. Code that takes a Clock never calls Date.now() or the timer functions itself; mixing
 * the two would let a test's virtual time and the real one drift apart (TigerBeetle: time is an
 * input like any other).
 */
import { assert } from './assert.js';

export interface Timer {
  /** Stops the timer; calling it again, or after a one-shot timer fired, does nothing. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (or since the start of a simulation). */
  nowMs(): number;
  /** Runs `action` once, `delayMs` from now. */
  setTimeout(action: () => void, delayMs: number): Timer;
  /** Runs `action` every `periodMs` until cancelled. */
  setInterval(action: () => void, periodMs: number): Timer;
}

/** The process's wall clock and Node's timers. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimeout(action, delayMs) {
    const handle = setTimeout(action, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
  setInterval(action, periodMs) {
    const handle = setInterval(action, periodMs);
    return { cancel: () => clearInterval(handle) };
  },
};

interface ManualTimer {
  readonly sequence: number;
  dueMs: number;
  readonly periodMs: number | undefined;
  readonly action: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to (advance): timers fire in due order, ties in the order
 * they were set, each with nowMs() at its due time.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  #sequence = 0;
  #timers: ManualTimer[] = [];

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }

  setTimeout(action: () => void, delayMs: number): Timer {
    return this.#add(action, delayMs, undefined);
  }

  setInterval(action: () => void, periodMs: number): Timer {
    assert(periodMs > 0, `interval period must be > 0, got ${periodMs}`);
    return this.#add(action, periodMs, periodMs);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    assert(ms >= 0, `cannot go back in time (${ms} ms)`);
    const targetMs = this.#nowMs + ms;
    for (;;) {
      const next = this.#next(targetMs);
      if (next === undefined) break;
      this.#nowMs = next.dueMs;
      if (next.periodMs === undefined) next.cancelled = true;
      else next.dueMs += next.periodMs;
      next.action();
    }
    this.#nowMs = targetMs;
    this.#timers = this.#timers.filter((timer) => !timer.cancelled);
  }

  #add(action: () => void, delayMs: number, periodMs: number | undefined): Timer {
    assert(delayMs >= 0 && Number.isFinite(delayMs), `bad timer delay ${delayMs}`);
    const timer: ManualTimer = {
      sequence: this.#sequence++, dueMs: this.#nowMs + delayMs, periodMs, action,
      cancelled: false,
    };
    this.#timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  #next(targetMs: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.cancelled || timer.dueMs > targetMs) continue;
      const earlier = best === undefined || timer.dueMs < best.dueMs ||
        (timer.dueMs === best.dueMs && timer.sequence < best.sequence);
      if (earlier) best = timer;
    }
    return best;
  }
}
