/**
 * The rules both snapshot stores follow.
 *
 * Retention: only the newest snapshot is kept. The runtime trims the log up to the newest
 * snapshot (deleteBefore), so an older snapshot could not be combined with the log to rebuild
 * the state: keeping it as a fallback would only tempt recovery into replaying a log with a hole.
 * The newest is never half-written (.part + fsync + rename + directory fsync), and an older one is
 * deleted only after the newer one is durable. A newest snapshot damaged at rest is a disk fault:
 * the node then has no snapshot and fetches one from the leader (KIP-630).
 */
import { assert } from '../../lib/assert.js';
import type { SnapshotId } from '../core/types.js';
import { assertSnapshotId } from './file-names.js';

/** Asserts that writing `next` after `latest` does not move the state machine backwards. */
export function assertSnapshotOrder(latest: SnapshotId | undefined, next: SnapshotId): void {
  assertSnapshotId(next);
  if (latest === undefined) return;
  assert(
    next.endOffset >= latest.endOffset,
    `snapshot ${next.endOffset}-${next.epoch} is older than ${latest.endOffset}-${latest.epoch}`,
  );
  // The entry at endOffset - 1 is committed, so its epoch is the same wherever it is read.
  assert(
    next.endOffset !== latest.endOffset || next.epoch === latest.epoch,
    `two snapshots end at ${next.endOffset} with epochs ${latest.epoch} and ${next.epoch}`,
  );
}
