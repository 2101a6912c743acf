/**
 * The simulator's state machine (a raft/ StateMachine, applied a whole Ready at a time): an
 * append-only list of proposal ids, with a running hash of everything applied so that
 * replicas can be compared cheaply at any offset (Determinism is checked after every entry).
 */
import { assert } from '../../lib/assert.js';
import type { Epoch, LogEntry, Offset, SnapshotId } from '../../raft/core/types.js';
import { EntryKind } from '../../raft/core/types.js';
import type { SimStateMachine, StateMachineFactory } from './sim-state-machine.js';

export function encodeValue(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

export function decodeValue(bytes: Uint8Array): number {
  assert(bytes.byteLength === 4, 'a toy value is 4 bytes');
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
}

function mix(hash: number, value: number): number {
  return Math.imul(hash ^ value, 0x01000193) >>> 0;
}

export class ToyStateMachine implements SimStateMachine {
  values: number[] = [];
  appliedOffset: Offset = 0;
  lastEpoch: Epoch = 0;
  hash = 0x811c9dc5;
  readonly #checkpoint: () => void;

  constructor(checkpoint: () => void = () => undefined) {
    this.#checkpoint = checkpoint;
  }

  apply(entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      this.#applyOne(entry);
      this.#checkpoint();
    }
  }

  #applyOne(entry: LogEntry): void {
    assert(
      entry.offset === this.appliedOffset,
      `applied ${entry.offset}, expected ${this.appliedOffset}`,
    );
    const value = entry.kind === EntryKind.data ? decodeValue(entry.data) : 0xffffffff;
    if (entry.kind === EntryKind.data) this.values.push(value);
    this.hash = mix(mix(this.hash, entry.offset), value);
    this.appliedOffset += 1;
    this.lastEpoch = entry.epoch;
  }

  snapshot(): Uint8Array {
    const words = new Uint32Array(4 + this.values.length);
    words[0] = this.appliedOffset;
    words[1] = this.lastEpoch;
    words[2] = this.hash;
    words[3] = this.values.length;
    words.set(this.values, 4);
    return new Uint8Array(words.buffer);
  }

  restore(id: SnapshotId, bytes: Uint8Array): void {
    const copy = bytes.slice();
    const words = new Uint32Array(copy.buffer, 0, copy.byteLength / 4);
    assert(words[3] === words.length - 4, 'torn toy snapshot');
    assert(words[0] === id.endOffset && words[1] === id.epoch, 'toy snapshot id mismatch');
    this.appliedOffset = words[0]!;
    this.lastEpoch = words[1]!;
    this.hash = words[2]!;
    this.values = Array.from(words.subarray(4));
  }
}

export const toyStateMachines: StateMachineFactory<ToyStateMachine> = {
  create: (checkpoint) => new ToyStateMachine(checkpoint),
};
