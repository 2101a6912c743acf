/**
 * File names in a Raft log directory (KRaft's `<metadata.log.dir>/__cluster_metadata-0/`):
 * segments `<20-digit base offset>.log`, snapshots
 * `<20-digit endOffset>-<10-digit epoch>.checkpoint` with the `.part` (being written) and
 * `.deleted` (being removed) suffixes of KRaft's Snapshots.java, and the `quorum-state` file
 * with its `.tmp` twin.
 */
import type { Offset, SnapshotId } from '../core/types.js';
import { assert } from '../../lib/assert.js';
import { EPOCH_MAX } from './limits.js';

export const QUORUM_STATE_FILE_NAME = 'quorum-state';
export const QUORUM_STATE_TEMP_FILE_NAME = 'quorum-state.tmp';
export const SNAPSHOT_PART_SUFFIX = '.part';
export const SNAPSHOT_DELETED_SUFFIX = '.deleted';

const SEGMENT_PATTERN = /^(\d{20})\.log$/;
const SNAPSHOT_PATTERN = /^(\d{20})-(\d{10})\.checkpoint$/;
const SNAPSHOT_LEFTOVER_PATTERN = /^\d{20}-\d{10}\.checkpoint\.(part|deleted)$/;

export function segmentFileName(baseOffset: Offset): string {
  assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, `bad segment base ${baseOffset}`);
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/** The base offset of a segment file, or undefined when the name is not a segment's. */
export function parseSegmentFileName(name: string): Offset | undefined {
  const match = SEGMENT_PATTERN.exec(name);
  if (match === null) return undefined;
  const baseOffset = Number(match[1]);
  return Number.isSafeInteger(baseOffset) ? baseOffset : undefined;
}

export function snapshotFileName(id: SnapshotId): string {
  assertSnapshotId(id);
  const endOffset = String(id.endOffset).padStart(20, '0');
  return `${endOffset}-${String(id.epoch).padStart(10, '0')}.checkpoint`;
}

export function parseSnapshotFileName(name: string): SnapshotId | undefined {
  const match = SNAPSHOT_PATTERN.exec(name);
  if (match === null) return undefined;
  const endOffset = Number(match[1]);
  const epoch = Number(match[2]);
  if (!Number.isSafeInteger(endOffset) || epoch > EPOCH_MAX) return undefined;
  return { endOffset, epoch };
}

/** A `.checkpoint.part` or `.checkpoint.deleted` file: an interrupted write or removal. */
export function isSnapshotLeftover(name: string): boolean {
  return SNAPSHOT_LEFTOVER_PATTERN.test(name);
}

export function assertSnapshotId(id: SnapshotId): void {
  assert(
    Number.isSafeInteger(id.endOffset) && id.endOffset >= 0,
    `bad snapshot end offset ${id.endOffset}`,
  );
  assert(
    Number.isInteger(id.epoch) && id.epoch >= 0 && id.epoch <= EPOCH_MAX,
    `bad snapshot epoch ${id.epoch}`,
  );
}

/** Orders snapshot ids: by end offset, then epoch. */
export function compareSnapshotIds(a: SnapshotId, b: SnapshotId): number {
  return a.endOffset - b.endOffset || a.epoch - b.epoch;
}
