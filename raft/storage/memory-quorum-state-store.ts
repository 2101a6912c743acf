/**
 * The in-memory twin of FileQuorumStateStore. A write becomes durable when its promise resolves
 * (after `writeDelay`, the simulator's clock); crash() returns what a restart would read.
 */
import type { QuorumState } from '../core/types.js';
import { assertQuorumStateChange, INITIAL_QUORUM_STATE } from './quorum-state-codec.js';
import type { QuorumStateStore } from './types.js';

export interface MemoryQuorumStateStoreOptions {
  readonly initial?: QuorumState;
  /** Time a write takes to become durable. Default: one microtask. */
  readonly writeDelay?: () => Promise<void>;
}

export class MemoryQuorumStateStore implements QuorumStateStore {
  readonly #writeDelay: () => Promise<void>;
  #durable: QuorumState;
  #requested: QuorumState;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: MemoryQuorumStateStoreOptions = {}) {
    this.#writeDelay = options.writeDelay ?? (() => Promise.resolve());
    this.#durable = options.initial ?? INITIAL_QUORUM_STATE;
    this.#requested = this.#durable;
  }

  read(): QuorumState {
    return this.#durable;
  }

  write(state: QuorumState): Promise<void> {
    assertQuorumStateChange(this.#requested, state);
    const copy = { ...state };
    this.#requested = copy;
    // One after another, as the file store writes them.
    const done = this.#queue.then(async () => {
      await this.#writeDelay();
      this.#durable = copy;
    });
    this.#queue = done.catch(() => undefined);
    return done;
  }

  /**
   * The store after a restart. The newest write still in flight may or may not have landed (the
   * rename is atomic, so it is all or nothing); say which.
   */
  crash(options: { readonly inFlightWriteLanded?: boolean } = {}): MemoryQuorumStateStore {
    const state = options.inFlightWriteLanded === true ? this.#requested : this.#durable;
    return new MemoryQuorumStateStore({ initial: state, writeDelay: this.#writeDelay });
  }
}
