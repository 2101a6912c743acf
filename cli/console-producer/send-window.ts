/**
 * A bound on sends awaiting their acknowledgement: acquire() waits while `limit` are
 * outstanding, release() frees a slot, idle() waits for all. The tools issue send() calls
 * without awaiting each one (so the producer can batch them), and this keeps the number of
 * pending promises, and the memory behind them, bounded.
 */
import { assert } from '../../lib/assert.js';

export class SendWindow {
  // Invariant: 0 <= outstanding <= limit.
  private outstanding = 0;
  private readonly waiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(readonly limit: number) {
    assert(Number.isInteger(limit) && limit >= 1, 'a send window holds at least one send');
  }

  get size(): number {
    return this.outstanding;
  }

  /** Resolves at once when a slot is free; waiters are served in order. */
  acquire(): Promise<void> | undefined {
    if (this.outstanding < this.limit && this.waiters.length === 0) {
      this.outstanding += 1;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(() => {
      this.outstanding += 1;
      resolve();
    }));
  }

  release(): void {
    assert(this.outstanding > 0, 'release follows acquire');
    this.outstanding -= 1;
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else if (this.outstanding === 0) {
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of idle) wake();
    }
  }

  /** Resolves once nothing is outstanding. */
  idle(): Promise<void> {
    if (this.outstanding === 0 && this.waiters.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
