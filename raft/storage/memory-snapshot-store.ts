/**
 * The in-memory twin of FileSnapshotStore: same ordering rule, newest-only retention, and
 * crash() to model a restart (a write in flight may or may not have landed: the rename is atomic).
 */
import type { SnapshotId } from '../core/types.js';
import type { Snapshot } from './file-snapshot-store.js';
import { assertSnapshotOrder } from './snapshot-retention.js';
import type { SnapshotStore } from './types.js';

export interface MemorySnapshotStoreOptions {
  readonly initial?: Snapshot;
  /** Time a write takes to become durable. Default: one microtask. */
  readonly writeDelay?: () => Promise<void>;
}

export class MemorySnapshotStore implements SnapshotStore {
  readonly #writeDelay: () => Promise<void>;
  #latest: Snapshot | undefined;
  #requested: Snapshot | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: MemorySnapshotStoreOptions = {}) {
    this.#writeDelay = options.writeDelay ?? (() => Promise.resolve());
    this.#latest = options.initial;
    this.#requested = this.#latest;
  }

  latest(): Snapshot | undefined {
    return this.#latest;
  }

  write(id: SnapshotId, bytes: Uint8Array): Promise<void> {
    assertSnapshotOrder(this.#requested?.id, id);
    const snapshot = { id: { ...id }, bytes: Uint8Array.from(bytes) };
    this.#requested = snapshot;
    const done = this.#queue.then(async () => {
      await this.#writeDelay();
      this.#latest = snapshot;
    });
    this.#queue = done.catch(() => undefined);
    return done;
  }

  crash(options: { readonly inFlightWriteLanded?: boolean } = {}): MemorySnapshotStore {
    const latest = options.inFlightWriteLanded === true ? this.#requested : this.#latest;
    return new MemorySnapshotStore({
      ...(latest === undefined ? {} : { initial: latest }),
      writeDelay: this.#writeDelay,
    });
  }
}
