/**
 * Names in a partition directory `<logDir>/<topic>-<partition>/`, as Kafka lays them out:
 * segments `<20-digit base offset>.log` with their `.index` and `.timeindex`, the
 * `leader-epoch-checkpoint` file and the `clean-shutdown` marker. Files ending in `.tmp` are
 * half-written replacements, deleted at open.
 */
import { join } from 'node:path';
import { assert } from '../../lib/assert.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const TEMP_SUFFIX = '.tmp';
export const LEADER_EPOCH_CHECKPOINT_FILE_NAME = 'leader-epoch-checkpoint';
export const CLEAN_SHUTDOWN_FILE_NAME = 'clean-shutdown';

const SEGMENT_FILE_PATTERN = /^(\d{20})\.(log|index|timeindex)$/;

/** `<topic>-<partition>`, the directory Kafka gives a partition under each log dir. */
export function partitionDirectoryName(topic: string, partition: number): string {
  assert(topic.length > 0 && !topic.includes('/'), `bad topic name ${JSON.stringify(topic)}`);
  assert(Number.isInteger(partition) && partition >= 0, `bad partition ${partition}`);
  return `${topic}-${partition}`;
}

export function partitionDirectory(logDir: string, topic: string, partition: number): string {
  return join(logDir, partitionDirectoryName(topic, partition));
}

/** The 20-digit zero-padded base offset that starts every segment file name. */
export function segmentFilePrefix(baseOffset: number): string {
  assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, `bad segment base ${baseOffset}`);
  return String(baseOffset).padStart(20, '0');
}

export interface SegmentFileName {
  readonly baseOffset: number;
  readonly kind: 'log' | 'index' | 'timeindex';
}

/** What a segment file's name says, or undefined for any other file. */
export function parseSegmentFileName(name: string): SegmentFileName | undefined {
  const match = SEGMENT_FILE_PATTERN.exec(name);
  if (match === null) return undefined;
  const baseOffset = Number(match[1]);
  if (!Number.isSafeInteger(baseOffset)) return undefined;
  return { baseOffset, kind: match[2] as SegmentFileName['kind'] };
}
