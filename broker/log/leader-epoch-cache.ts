/**
 * The leader epoch cache of a partition (KIP-101, KIP-279; Kafka's LeaderEpochFileCache): for
 * each leader epoch that wrote to this log, the offset of its first batch. Followers ask the
 * leader for the end offset of their latest epoch (OffsetsForLeaderEpoch) and truncate to it,
 * instead of to the high watermark, which could lose acknowledged data or keep divergent data.
 *
 * Persisted in `leader-epoch-checkpoint`, Kafka's text format:
 *   0              <- version
 *   2              <- number of entries
 *   0 0            <- "epoch startOffset", epochs and offsets increasing
 *   3 120
 * rewritten whole (temp file, fsync, rename, directory fsync) whenever it changes, which is
 * once per leader change, not per append. The file may run ahead of the log after a crash (it
 * is written before the batch that starts an epoch); recovery truncates it to the log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import { replaceFileDurably, type FileSync } from './file-io.js';
import { LEADER_EPOCH_CHECKPOINT_FILE_NAME } from './file-names.js';

export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;
const CHECKPOINT_VERSION = 0;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export class LeaderEpochCache {
  /** Invariant: epochs and start offsets both strictly increase. */
  #entries: EpochEntry[];

  constructor(entries: readonly EpochEntry[] = []) {
    this.#entries = [...entries];
    this.#checkInvariant();
  }

  entries(): readonly EpochEntry[] {
    return this.#entries;
  }

  latestEpoch(): number {
    return this.#entries.at(-1)?.epoch ?? UNDEFINED_EPOCH;
  }

  /**
   * Records that `epoch` starts at `startOffset`. A repeat of the latest epoch changes nothing;
   * an entry that does not follow the latest one first removes the entries it contradicts
   * (epoch >= its epoch or start offset >= its start), as Kafka's assign does.
   * Returns whether the cache changed (so the caller persists it).
   */
  assign(epoch: number, startOffset: number): boolean {
    check(Number.isInteger(epoch) && epoch >= 0, 'bad leader epoch ', epoch);
    check(Number.isSafeInteger(startOffset) && startOffset >= 0, 'bad offset ', startOffset);
    const latest = this.#entries.at(-1);
    if (latest !== undefined && latest.epoch === epoch && latest.startOffset <= startOffset) {
      return false;
    }
    while (this.#entries.length > 0) {
      const last = this.#entries.at(-1)!;
      if (last.epoch < epoch && last.startOffset < startOffset) break;
      this.#entries.pop();
    }
    this.#entries.push({ epoch, startOffset });
    return true;
  }

  /**
   * OffsetsForLeaderEpoch (KIP-279, Kafka's endOffsetFor): for the latest epoch, the log end;
   * otherwise the largest known epoch <= the requested one, ending where the next larger epoch
   * starts. A requested epoch below every known one answers with the requested epoch and the
   * first start offset; one above every known epoch, or an empty cache, is UNDEFINED (-1, -1).
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH || this.#entries.length === 0) return undefinedAnswer;
    if (requestedEpoch === this.latestEpoch()) {
      return { epoch: requestedEpoch, endOffset: logEndOffset };
    }
    const higher = this.#entries.findIndex((entry) => entry.epoch > requestedEpoch);
    if (higher < 0) return undefinedAnswer;
    const higherStart = this.#entries[higher]!.startOffset;
    const floor = this.#entries[higher - 1];
    if (floor === undefined) return { epoch: requestedEpoch, endOffset: higherStart };
    return { epoch: floor.epoch, endOffset: higherStart };
  }

  /** Forgets epochs starting at or after `endOffset` (the log was truncated there). */
  truncateFromEnd(endOffset: number): boolean {
    const before = this.#entries.length;
    while (this.#entries.length > 0 && this.#entries.at(-1)!.startOffset >= endOffset) {
      this.#entries.pop();
    }
    return this.#entries.length !== before;
  }

  /**
   * The log now starts at `startOffset`: the epoch in force there starts there, earlier ones go
   * (Kafka's truncateFromStart).
   */
  truncateFromStart(startOffset: number): boolean {
    let inForce = -1;
    const startsBy = (at: number) => (this.#entries[at]?.startOffset ?? Infinity) <= startOffset;
    while (startsBy(inForce + 1)) inForce++;
    if (inForce < 0) return false;
    const entry = this.#entries[inForce]!;
    if (inForce === 0 && entry.startOffset === startOffset) return false;
    this.#entries = [{ epoch: entry.epoch, startOffset }, ...this.#entries.slice(inForce + 1)];
    return true;
  }

  clear(): boolean {
    const changed = this.#entries.length > 0;
    this.#entries = [];
    return changed;
  }

  toCheckpointText(): string {
    const lines = this.#entries.map((entry) => `${entry.epoch} ${entry.startOffset}`);
    return [String(CHECKPOINT_VERSION), String(this.#entries.length), ...lines, ''].join('\n');
  }

  /** Parses a checkpoint file, or says why it cannot be used. */
  static parseCheckpoint(text: string): LeaderEpochCache | string {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines[0] !== String(CHECKPOINT_VERSION)) return `unknown version ${lines[0]}`;
    const count = Number(lines[1]);
    if (!Number.isSafeInteger(count) || count < 0 || lines.length !== count + 2) {
      return `expected ${lines[1]} entries, found ${lines.length - 2}`;
    }
    const entries: EpochEntry[] = [];
    for (const line of lines.slice(2)) {
      const match = /^(\d+) (\d+)$/.exec(line);
      const epoch = Number(match?.[1]);
      const startOffset = Number(match?.[2]);
      const last = entries.at(-1);
      if (match === null || !Number.isSafeInteger(epoch) || !Number.isSafeInteger(startOffset)) {
        return `bad entry ${JSON.stringify(line)}`;
      }
      if (last !== undefined && (epoch <= last.epoch || startOffset <= last.startOffset)) {
        return `entry ${JSON.stringify(line)} does not increase`;
      }
      entries.push({ epoch, startOffset });
    }
    return new LeaderEpochCache(entries);
  }

  #checkInvariant(): void {
    for (let i = 1; i < this.#entries.length; i++) {
      const previous = this.#entries[i - 1]!;
      const entry = this.#entries[i]!;
      assert(
        entry.epoch > previous.epoch && entry.startOffset > previous.startOffset,
        `epoch entries out of order at ${i}`,
      );
    }
  }
}

/** The cache in `dir`'s checkpoint; undefined when missing or unreadable (rebuild it). */
export function readLeaderEpochCheckpoint(
  dir: string, log: (line: string) => void,
): LeaderEpochCache | undefined {
  const path = join(dir, LEADER_EPOCH_CHECKPOINT_FILE_NAME);
  if (!existsSync(path)) return undefined;
  const parsed = LeaderEpochCache.parseCheckpoint(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'string') return parsed;
  log(`${path}: unreadable (${parsed}); rebuilding the leader epoch cache from the log`);
  return undefined;
}

export function writeLeaderEpochCheckpoint(
  dir: string, cache: LeaderEpochCache, fsync: FileSync,
): void {
  const text = Buffer.from(cache.toCheckpointText());
  replaceFileDurably(dir, LEADER_EPOCH_CHECKPOINT_FILE_NAME, text, fsync);
}
