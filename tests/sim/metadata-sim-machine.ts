/**
 * The metadata simulation's state machine: the production MetadataStateMachine (metadata/),
 * applied a whole Ready at a time as the driver applies it in production, plus what the
 * simulator compares: appliedOffset (control entries count: a LeaderChange entry moves it and
 * the image's provenance) and `hash`. Snapshots go through MetadataStateMachine.snapshot() and
 * restore(), so a snapshot written by one node and installed or reloaded by another is the real
 * format.
 *
 * `hash` is imageHash (the canonical encoding's CRC-32C, provenance excluded), computed lazily
 * and cached until the next change: the Determinism invariant compares it at equal offsets,
 * after every applied batch.
 */
import { assert } from '../../lib/assert.js';
import { imageHash, MetadataStateMachine } from '../../metadata/index.js';
import type { MetadataImage } from '../../metadata/index.js';
import type { LogEntry, Offset, SnapshotId } from '../../raft/core/types.js';
import type { SimStateMachine, StateMachineFactory } from './sim-state-machine.js';

export class MetadataSimMachine implements SimStateMachine {
  readonly machine = new MetadataStateMachine();
  appliedOffset: Offset = 0;
  readonly #checkpoint: () => void;
  #hash: number | undefined;

  constructor(checkpoint: () => void = () => undefined) {
    this.#checkpoint = checkpoint;
  }

  get image(): MetadataImage {
    return this.machine.image;
  }

  get hash(): number {
    this.#hash ??= imageHash(this.machine.image);
    return this.#hash;
  }

  apply(entries: readonly LogEntry[]): void {
    assert(
      entries[0]?.offset === this.appliedOffset,
      `applied ${entries[0]?.offset}, expected ${this.appliedOffset}`,
    );
    this.machine.apply(entries);
    this.appliedOffset = entries[entries.length - 1]!.offset + 1;
    this.#hash = undefined;
    this.#checkpoint();
  }

  snapshot(): Uint8Array {
    return this.machine.snapshot();
  }

  restore(id: SnapshotId, bytes: Uint8Array): void {
    this.machine.restore(id, bytes);
    this.appliedOffset = id.endOffset;
    this.#hash = undefined;
  }
}

export const metadataStateMachines: StateMachineFactory<MetadataSimMachine> = {
  create: (checkpoint) => new MetadataSimMachine(checkpoint),
};
