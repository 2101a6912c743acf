/**
 * The metadata log's state machine: what the Raft runtime applies committed entries to, on
 * every controller (active and hot standbys) and, later, on every broker (as an observer).
 *
 * Each data entry is one batch of records (record-codec.ts); control entries (LeaderChange)
 * only move the image's provenance. apply() folds all entries of a call into one MetadataDelta, makes the next image and hands (delta, image) to the listeners,
 * synchronously and in subscription order. A corrupt entry has passed the log's CRC and was
 * committed by a quorum, so it is a bug: assert. snapshot() is the image as records;
 * restore() replays them on top of the current image, so listeners also learn what a snapshot
 * load changed: every partition in the snapshot is reported as changed (a broker re-checks
 * them all) and everything missing from it as deleted.
 */
import { assert } from '../lib/assert.js';
import { EntryKind, type LogEntry, type SnapshotId } from '../raft/core/types.js';
import type { StateMachine } from '../raft/state-machine.js';
import { encodeImage, loadSnapshot } from './image/image-records.js';
import { EMPTY_IMAGE, type MetadataImage } from './image/image-types.js';
import { MetadataDelta } from './image/metadata-delta.js';
import { decodeRecords } from './records/record-codec.js';

/** Called after each applied batch or loaded snapshot. Must not throw. */
export type MetadataListener = (delta: MetadataDelta, image: MetadataImage) => void;

export class MetadataStateMachine implements StateMachine {
  #image: MetadataImage;
  readonly #listeners: MetadataListener[] = [];

  constructor(image: MetadataImage = EMPTY_IMAGE) {
    this.#image = image;
  }

  /** The image after every committed entry applied so far. */
  get image(): MetadataImage {
    return this.#image;
  }

  /** Returns a function that removes the listener. */
  subscribe(listener: MetadataListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  apply(entries: readonly LogEntry[]): void {
    let delta: MetadataDelta | undefined;
    for (const entry of entries) {
      delta ??= new MetadataDelta(this.#image);
      // A control entry (LeaderChange) changes nothing but where the image stands in the log,
      // as Kafka's metadata loader counts control batches.
      if (entry.kind === EntryKind.data) {
        const decoded = decodeRecords(entry.data);
        if (!decoded.ok) assert(false, `metadata entry ${entry.offset} is corrupt: ${decoded.error}`);
        delta.replayAll(decoded.records);
      }
      delta.advanceTo(entry.offset, entry.epoch);
    }
    if (delta !== undefined) this.#publish(delta, delta.apply());
  }

  snapshot(): Uint8Array {
    return encodeImage(this.#image);
  }

  restore(id: SnapshotId, bytes: Uint8Array): void {
    const loaded = loadSnapshot(this.#image, bytes, { offset: id.endOffset - 1, epoch: id.epoch });
    assert(loaded.ok, `metadata snapshot ${id.endOffset}-${id.epoch} is corrupt: ` +
      `${loaded.ok ? '' : loaded.error}`);
    this.#publish(loaded.delta, loaded.image);
  }

  #publish(delta: MetadataDelta, image: MetadataImage): void {
    this.#image = image;
    for (const listener of [...this.#listeners]) listener(delta, image);
  }
}
