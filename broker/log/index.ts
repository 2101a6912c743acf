/**
 * broker/log: the partition logs of a broker on disk (Kafka's UnifiedLog, LocalLog and
 * LogSegment, simplified).
 *
 * A partition lives in `<logDir>/<topic>-<partition>/` as segments of Kafka record batch v2
 * bytes, `<20-digit base offset>.log`, each with a sparse `.index` (offset -> position) and
 * `.timeindex` (timestamp -> offset), plus `leader-epoch-checkpoint` and, after a clean close,
 * `clean-shutdown`.
 *
 * Contracts:
 *  - Batches are bytes end to end: the leader stamps baseOffset and partitionLeaderEpoch in
 *    place (outside the CRC) and stores the bytes it was given; reads return whole stored
 *    batches from one positioned read. Callers check batches (checkBatch) before appending.
 *  - Everything is synchronous and single-threaded (the event loop); no call awaits midway.
 *  - Expected conditions are values (OffsetOutOfRange, UNDEFINED epoch answers); broken
 *    preconditions (a follower append not at the log end) are bugs and fail an assert; disk
 *    data that stops parsing after recovery accepted it throws an Error (a storage failure).
 *  - Recovery at open cuts the log at its first partial or corrupt batch and rebuilds indexes
 *    it cannot trust (segment-loading.ts).
 */
export {
  isOffsetOutOfRange,
  PartitionLog,
  type LeaderAppendInfo,
  type LogReadInfo,
  type OffsetOutOfRange,
  type PartitionLogOptions,
} from './partition-log.js';
export {
  DEFAULT_PARTITION_LOG_CONFIG,
  resolvePartitionLogConfig,
  type PartitionLogConfig,
} from './config.js';
export {
  LeaderEpochCache,
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
  type EpochEndOffset,
  type EpochEntry,
} from './leader-epoch-cache.js';
export type { RecoveryReport } from './segment-loading.js';
export {
  CLEAN_SHUTDOWN_FILE_NAME,
  LEADER_EPOCH_CHECKPOINT_FILE_NAME,
  partitionDirectory,
  partitionDirectoryName,
  segmentFilePrefix,
} from './file-names.js';
