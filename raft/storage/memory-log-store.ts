/**
 * The in-memory twin of FileLogStore, for unit tests and the simulator. It checks the same
 * preconditions and limits, and it models what a crash can lose: every change is journaled as an
 * operation, sync() moves the operations journaled before the call into the durable image, and
 * crash() returns a store holding the durable image plus any prefix of the unsynced operations.
 *
 * What the file store can recover to after a crash is exactly such a prefix, cut at a batch
 * boundary: a torn batch is dropped whole (CRC), the frame chain rejects anything out of order,
 * and bytes below a truncation point are never rewritten. One difference: this twin forgets
 * entries below deleteBefore() exactly, the file store only whole segments (its startOffset()
 * after a restart may be lower, never higher).
 */
import { assert } from '../../lib/assert.js';
import type { Epoch, LogEntry, Offset } from '../core/types.js';
import { checkAppend } from './append-checks.js';
import { resolveLogStoreLimits, type LogStoreLimits, type LogStoreOptions } from './limits.js';
import type { LogStore } from './types.js';

type LogOperation =
  | { readonly type: 'append'; readonly entries: readonly LogEntry[] }
  | { readonly type: 'truncateFrom'; readonly offset: Offset }
  | { readonly type: 'deleteBefore'; readonly offset: Offset }
  | { readonly type: 'resetTo'; readonly offset: Offset };

/** A log's content. Invariant: entries[i].offset === startOffset + i. */
interface LogImage {
  startOffset: Offset;
  entries: LogEntry[];
  /** Epoch of the entry at the end offset - 1, when known. */
  lastEpoch: Epoch | undefined;
}

export interface MemoryLogStoreOptions extends LogStoreOptions {
  /** Where an empty log starts. */
  readonly startOffset?: Offset;
  /** Time an fsync takes; the simulator passes its virtual clock. Default: one microtask. */
  readonly syncDelay?: () => Promise<void>;
}

export interface CrashOptions {
  /** How many of the unsynced operations, oldest first, reached the disk anyway. Default 0. */
  readonly unsyncedOperationsKept?: number;
}

function endOf(image: LogImage): Offset {
  return image.startOffset + image.entries.length;
}

function copyImage(image: LogImage): LogImage {
  return { ...image, entries: [...image.entries] };
}

function applyOperation(image: LogImage, operation: LogOperation): void {
  switch (operation.type) {
    case 'append':
      image.entries.push(...operation.entries);
      image.lastEpoch = operation.entries.at(-1)?.epoch ?? image.lastEpoch;
      return;
    case 'truncateFrom': {
      if (operation.offset >= endOf(image)) return;
      image.entries.length = operation.offset - image.startOffset;
      image.lastEpoch = image.entries.at(-1)?.epoch;
      return;
    }
    case 'deleteBefore':
      if (operation.offset <= image.startOffset) return;
      image.entries.splice(0, operation.offset - image.startOffset);
      image.startOffset = operation.offset;
      return;
    case 'resetTo':
      image.startOffset = operation.offset;
      image.entries = [];
      image.lastEpoch = undefined;
      return;
  }
}

export class MemoryLogStore implements LogStore {
  readonly #limits: LogStoreLimits;
  readonly #options: MemoryLogStoreOptions;
  readonly #syncDelay: () => Promise<void>;
  #current: LogImage;
  #durable: LogImage;
  /** Operations not yet in the durable image, oldest first. */
  #unsynced: LogOperation[] = [];
  /** Operations journaled since creation, and how many of them are durable. */
  #journaled = 0;
  #synced = 0;
  #closed = false;

  constructor(options: MemoryLogStoreOptions = {}) {
    this.#limits = resolveLogStoreLimits(options);
    this.#options = options;
    this.#syncDelay = options.syncDelay ?? (() => Promise.resolve());
    const startOffset = options.startOffset ?? 0;
    this.#durable = { startOffset, entries: [], lastEpoch: undefined };
    this.#current = copyImage(this.#durable);
  }

  static #fromImage(options: MemoryLogStoreOptions, image: LogImage): MemoryLogStore {
    const store = new MemoryLogStore(options);
    store.#durable = image;
    store.#current = copyImage(image);
    return store;
  }

  startOffset(): Offset {
    return this.#current.startOffset;
  }

  endOffset(): Offset {
    return endOf(this.#current);
  }

  readAll(): LogEntry[] {
    this.#checkOpen();
    return [...this.#current.entries];
  }

  append(entries: readonly LogEntry[]): void {
    this.#checkOpen();
    if (entries.length === 0) return;
    checkAppend(entries, this.endOffset(), this.#current.lastEpoch, this.#limits);
    // Copies, as the file store does by encoding: the caller may reuse its buffers.
    const copies = entries.map((e) => ({ ...e, data: Uint8Array.from(e.data) }));
    this.#journal({ type: 'append', entries: copies });
  }

  truncateFrom(offset: Offset): void {
    this.#checkOpen();
    assert(
      Number.isSafeInteger(offset) && offset >= this.startOffset(),
      `truncateFrom(${offset}) below the log start ${this.startOffset()}`,
    );
    if (offset >= this.endOffset()) return;
    this.#journal({ type: 'truncateFrom', offset });
  }

  deleteBefore(offset: Offset): void {
    this.#checkOpen();
    assert(
      Number.isSafeInteger(offset) && offset <= this.endOffset(),
      `deleteBefore(${offset}) beyond the log end ${this.endOffset()}`,
    );
    if (offset <= this.startOffset()) return;
    this.#journal({ type: 'deleteBefore', offset });
  }

  resetTo(offset: Offset): void {
    this.#checkOpen();
    assert(Number.isSafeInteger(offset) && offset >= 0, `resetTo(${offset}): bad offset`);
    this.#journal({ type: 'resetTo', offset });
  }

  async sync(): Promise<void> {
    this.#checkOpen();
    const target = this.#journaled;
    await this.#syncDelay();
    while (this.#synced < target) {
      applyOperation(this.#durable, this.#unsynced.shift()!);
      this.#synced += 1;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.sync();
    this.#closed = true;
  }

  /** Operations a crash now could lose. */
  unsyncedOperationCount(): number {
    return this.#unsynced.length;
  }

  /**
   * The store a restart would find: the durable image plus the oldest `unsyncedOperationsKept`
   * unsynced operations. This store stays usable (the simulator may keep it for inspection).
   */
  crash(options: CrashOptions = {}): MemoryLogStore {
    const kept = options.unsyncedOperationsKept ?? 0;
    assert(
      Number.isInteger(kept) && kept >= 0 && kept <= this.#unsynced.length,
      `cannot keep ${kept} of ${this.#unsynced.length} unsynced operations`,
    );
    const image = copyImage(this.#durable);
    for (const operation of this.#unsynced.slice(0, kept)) applyOperation(image, operation);
    return MemoryLogStore.#fromImage(this.#options, image);
  }

  #journal(operation: LogOperation): void {
    applyOperation(this.#current, operation);
    this.#unsynced.push(operation);
    this.#journaled += 1;
  }

  #checkOpen(): void {
    assert(!this.#closed, 'log store used after close()');
  }
}
