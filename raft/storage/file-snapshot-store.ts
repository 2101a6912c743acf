/**
 * Snapshots in `<20-digit endOffset>-<10-digit epoch>.checkpoint` files (KRaft's names; see
 * snapshot-codec.ts for the content), written via `.checkpoint.part` + fsync + rename +
 * directory fsync. The newest valid snapshot is loaded at open and kept in memory: the runtime
 * restores from it and the leader serves FetchSnapshot chunks from it. Retention: newest only
 * (snapshot-retention.ts says why).
 *
 * At open: `.part` files (interrupted writes) and `.deleted` files (interrupted removals) are
 * removed; a corrupt checkpoint is renamed to `.deleted`, so it survives one restart for
 * inspection, and the next older valid one is used; older valid ones are removed.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotId } from '../core/types.js';
import { ensureDirectory, replaceFileDurably, syncDirectory } from './durable-fs.js';
import {
  compareSnapshotIds,
  isSnapshotLeftover,
  parseSnapshotFileName,
  snapshotFileName,
  SNAPSHOT_DELETED_SUFFIX,
  SNAPSHOT_PART_SUFFIX,
} from './file-names.js';
import { decodeSnapshotFile, encodeSnapshotHeader } from './snapshot-codec.js';
import { assertSnapshotOrder } from './snapshot-retention.js';
import type { SnapshotStore } from './types.js';

export interface Snapshot {
  readonly id: SnapshotId;
  readonly bytes: Uint8Array;
}

export interface SnapshotRecoveryReport {
  /** Files removed or renamed at open, with the reason. */
  readonly discarded: readonly { readonly fileName: string; readonly reason: string }[];
}

export class FileSnapshotStore implements SnapshotStore {
  readonly #dir: string;
  #latest: Snapshot | undefined;
  /** The newest id handed to write(): what the next write is checked against. */
  #requested: SnapshotId | undefined;
  #queue: Promise<void> = Promise.resolve();
  readonly recovery: SnapshotRecoveryReport;

  static async open(dir: string): Promise<FileSnapshotStore> {
    await ensureDirectory(dir);
    const discarded: { fileName: string; reason: string }[] = [];
    const names = await readdir(dir);
    for (const fileName of names.filter(isSnapshotLeftover)) {
      await rm(join(dir, fileName), { force: true });
      discarded.push({ fileName, reason: 'left over from an interrupted write or removal' });
    }
    const candidates = names
      .map((fileName) => ({ fileName, id: parseSnapshotFileName(fileName) }))
      .filter((c): c is { fileName: string; id: SnapshotId } => c.id !== undefined)
      .sort((a, b) => compareSnapshotIds(b.id, a.id));
    let latest: Snapshot | undefined;
    for (const { fileName, id } of candidates) {
      const path = join(dir, fileName);
      if (latest !== undefined) {
        await rm(path, { force: true });
        discarded.push({ fileName, reason: 'older than the newest snapshot' });
        continue;
      }
      const read = decodeSnapshotFile(await readFile(path));
      if (read.ok) {
        latest = { id, bytes: read.payload };
      } else {
        await rename(path, path + SNAPSHOT_DELETED_SUFFIX);
        discarded.push({ fileName, reason: `corrupt (${read.detail}), renamed to .deleted` });
      }
    }
    if (discarded.length > 0) await syncDirectory(dir);
    return new FileSnapshotStore(dir, latest, { discarded });
  }

  private constructor(dir: string, latest: Snapshot | undefined, recovery: SnapshotRecoveryReport) {
    this.#dir = dir;
    this.#latest = latest;
    this.#requested = latest?.id;
    this.recovery = recovery;
  }

  latest(): Snapshot | undefined {
    return this.#latest;
  }

  /** Durable when it resolves; the previous snapshot file is removed afterwards. */
  write(id: SnapshotId, bytes: Uint8Array): Promise<void> {
    assertSnapshotOrder(this.#requested, id);
    this.#requested = id;
    // The cache must equal the file even if the caller reuses its buffer.
    const copy = Uint8Array.from(bytes);
    const done = this.#queue.then(() => this.#write(id, copy));
    this.#queue = done.catch(() => undefined);
    return done;
  }

  async #write(id: SnapshotId, bytes: Uint8Array): Promise<void> {
    const name = snapshotFileName(id);
    const header = encodeSnapshotHeader(bytes);
    await replaceFileDurably(this.#dir, name, name + SNAPSHOT_PART_SUFFIX, [header, bytes]);
    const previous = this.#latest;
    this.#latest = { id, bytes };
    if (previous !== undefined && compareSnapshotIds(previous.id, id) !== 0) {
      // Not synced: if this removal is lost, open() removes the older file again.
      await rm(join(this.#dir, snapshotFileName(previous.id)), { force: true });
    }
  }
}
