/**
 * Requests that wait for something to happen to partitions (Kafka's DelayedOperationPurgatory):
 * acks=-1 produces wait for the high watermark, long-poll fetches for bytes. An operation is
 * watched under the keys of its partitions; whoever changes a partition calls
 * checkAndComplete(key), and each operation decides whether it can answer now. Each one also
 * has a timer; at expiry, or at close, it is force-completed with what it has.
 *
 * Bounded: at most `maxOperations` are parked; over it, park() refuses and the caller answers
 * at once. Everything runs on the event loop, so an operation completes exactly once.
 */
import { assert } from '../../lib/assert.js';
import { check } from '../../lib/check.js';

export interface DelayedOperation {
  readonly keys: readonly string[];
  /** Answers and returns true when the operation can finish now. */
  tryComplete(): boolean;
  /** Answers with what it has (timeout, shutdown). */
  forceComplete(): void;
}

interface Parked {
  readonly operation: DelayedOperation;
  readonly timer: NodeJS.Timeout;
}

export class Purgatory<T extends DelayedOperation> {
  readonly #maxOperations: number;
  readonly #byKey = new Map<string, Set<Parked>>();
  /** Invariant: at most #maxOperations; each operation at most once. */
  readonly #parked = new Map<T, Parked>();

  constructor(maxOperations: number) {
    assert(Number.isSafeInteger(maxOperations) && maxOperations > 0, 'bad purgatory bound');
    this.#maxOperations = maxOperations;
  }

  get size(): number {
    return this.#parked.size;
  }

  get full(): boolean {
    return this.#parked.size >= this.#maxOperations;
  }

  /** Parks `operation` for at most `timeoutMs`; false (nothing parked) when full. */
  park(operation: T, timeoutMs: number): boolean {
    if (this.full) return false;
    check(!this.#parked.has(operation), 'an operation parked twice');
    check(timeoutMs >= 0, 'parked with a negative timeout ', timeoutMs);
    const timer = setTimeout(() => {
      if (this.#remove(operation)) operation.forceComplete();
    }, timeoutMs);
    const parked: Parked = { operation, timer };
    this.#parked.set(operation, parked);
    check(this.#parked.size <= this.#maxOperations, 'purgatory over its bound ',
      this.#maxOperations);
    for (const key of operation.keys) {
      let watchers = this.#byKey.get(key);
      if (watchers === undefined) this.#byKey.set(key, (watchers = new Set()));
      watchers.add(parked);
    }
    return true;
  }

  /** Something changed for partition `key`: lets each operation watching it try to finish. */
  checkAndComplete(key: string): void {
    const watchers = this.#byKey.get(key);
    if (watchers === undefined) return;
    for (const parked of [...watchers]) {
      const operation = parked.operation as T;
      if (!this.#parked.has(operation)) continue;
      if (operation.tryComplete()) this.#remove(operation);
    }
  }

  /** Force-completes every parked operation (shutdown). */
  completeAll(): void {
    for (const operation of [...this.#parked.keys()]) {
      if (this.#remove(operation)) operation.forceComplete();
    }
  }

  #remove(operation: T): boolean {
    const parked = this.#parked.get(operation);
    if (parked === undefined) return false;
    this.#parked.delete(operation);
    clearTimeout(parked.timer);
    for (const key of operation.keys) {
      const watchers = this.#byKey.get(key);
      watchers?.delete(parked);
      if (watchers?.size === 0) this.#byKey.delete(key);
    }
    return true;
  }
}
