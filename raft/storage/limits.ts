/**
 * Named limits of the log store, their defaults and the relations between them (checked once,
 * when a store is created). Over-limit input from the runtime is a bug and fails an assert: the
 * runtime is expected to split its batches before it calls append().
 */
import { assert } from '../../lib/assert.js';

/** KRaft's MAX_BATCH_SIZE_BYTES: the largest batch a leader writes and a fetch carries. */
export const BATCH_BYTES_MAX_DEFAULT = 8 * 1024 * 1024;
/**
 * The largest frame recovery accepts, whatever batchBytesMax is now. Recovery must not drop a
 * valid batch only because the configured maximum was lowered after it was written; this
 * ceiling only rejects length fields that no writer can have produced.
 */
export const BATCH_BYTES_CEILING = 64 * 1024 * 1024;
/** Bounds the per-entry loops of one append and the entry count field of a frame. */
export const BATCH_ENTRIES_MAX_DEFAULT = 65_536;
/** Segment size at which the log rolls to a new file (the metadata log is cut by snapshots). */
export const SEGMENT_BYTES_DEFAULT = 64 * 1024 * 1024;
/** Epochs are Kafka int32 leader epochs; the frame stores them as u32. */
export const EPOCH_MAX = 0x7fff_ffff;

export interface LogStoreLimits {
  /** Upper bound of one encoded batch frame, header included. */
  readonly batchBytesMax: number;
  /** Upper bound of entries in one append() call. */
  readonly batchEntriesMax: number;
  /** A segment is rolled before a batch that would take it past this size (unless empty). */
  readonly segmentBytes: number;
}

export interface LogStoreOptions {
  readonly batchBytesMax?: number;
  readonly batchEntriesMax?: number;
  readonly segmentBytes?: number;
  /**
   * How sync() issues fdatasync. 'threadpool' (default) keeps the event loop free while the disk
   * works. 'inline' calls it on the event loop: the loop stalls for the fsync (about 0.25 ms here)
   * but saves two thread hand-offs, which on a busy 2-core machine cost more than the fsync itself;
   * the Raft runtime sends a Ready's messages before it syncs, so replication proceeds meanwhile.
   */
  readonly fsync?: 'threadpool' | 'inline';
}

export function resolveLogStoreLimits(options: LogStoreOptions = {}): LogStoreLimits {
  const limits: LogStoreLimits = {
    batchBytesMax: options.batchBytesMax ?? BATCH_BYTES_MAX_DEFAULT,
    batchEntriesMax: options.batchEntriesMax ?? BATCH_ENTRIES_MAX_DEFAULT,
    segmentBytes: options.segmentBytes ?? SEGMENT_BYTES_DEFAULT,
  };
  assert(
    Number.isSafeInteger(limits.batchBytesMax) &&
      limits.batchBytesMax > 0 &&
      limits.batchBytesMax <= BATCH_BYTES_CEILING,
    `batchBytesMax must be in (0, ${BATCH_BYTES_CEILING}], got ${limits.batchBytesMax}`,
  );
  assert(
    Number.isSafeInteger(limits.batchEntriesMax) && limits.batchEntriesMax > 0,
    `batchEntriesMax must be a positive integer, got ${limits.batchEntriesMax}`,
  );
  assert(
    Number.isSafeInteger(limits.segmentBytes) && limits.segmentBytes > 0,
    `segmentBytes must be a positive integer, got ${limits.segmentBytes}`,
  );
  return limits;
}
