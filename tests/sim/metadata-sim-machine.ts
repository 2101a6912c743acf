/**
 * The metadata simulation's state machine: a MetadataStateMachine (metadata/) behind the
 * simulator's SimStateMachine interface. Entries are applied one at a time, as the runtime
 * applies them (only data entries reach the MetadataStateMachine; a LeaderChange entry only
 * moves appliedOffset), and snapshots go through MetadataStateMachine.snapshot()/restore(), so
 * a snapshot written by one node and installed or reloaded by another is the real format.
 *
 * `hash` is imageHash (the canonical encoding's CRC-32C, provenance excluded), computed lazily
 * and cached until the next change: the Determinism invariant compares it at equal offsets.
 */
import { assert } from '../../lib/assert.js';
import { imageHash, MetadataStateMachine } from '../../metadata/index.js';
import type { MetadataImage } from '../../metadata/index.js';
import type { Epoch, LogEntry, Offset } from '../../raft/core/types.js';
import type { StoredSnapshot } from './sim-disk.js';
import type { SimStateMachine, StateMachineFactory } from './sim-node.js';

export class MetadataSimMachine implements SimStateMachine {
  readonly machine = new MetadataStateMachine();
  appliedOffset: Offset = 0;
  lastEpoch: Epoch = 0;
  #hash: number | undefined;

  get image(): MetadataImage {
    return this.machine.image;
  }

  get hash(): number {
    this.#hash ??= imageHash(this.machine.image);
    return this.#hash;
  }

  apply(entry: LogEntry): void {
    assert(
      entry.offset === this.appliedOffset,
      `applied ${entry.offset}, expected ${this.appliedOffset}`,
    );
    // Control entries too: they move the provenance, as the runtime passes them (state-machine.ts).
    this.machine.apply([entry]);
    this.appliedOffset += 1;
    this.lastEpoch = entry.epoch;
    this.#hash = undefined;
  }

  snapshot(): Uint8Array {
    return this.machine.snapshot();
  }

  static load(snapshot: StoredSnapshot): MetadataSimMachine {
    const machine = new MetadataSimMachine();
    machine.machine.restore(snapshot.id, snapshot.bytes);
    machine.appliedOffset = snapshot.id.endOffset;
    machine.lastEpoch = snapshot.id.epoch;
    return machine;
  }
}

export const metadataStateMachines: StateMachineFactory<MetadataSimMachine> = {
  create: () => new MetadataSimMachine(),
  load: (snapshot) => MetadataSimMachine.load(snapshot),
};
