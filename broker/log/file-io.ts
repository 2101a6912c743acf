/**
 * The synchronous file operations of the partition log. The hot path writes to the page cache
 * with writeSync and reads with positioned readSync: both are short system calls, cheaper than a
 * hop to libuv's thread pool. Durability rules: file data is durable after fsync of the file;
 * a file's creation, rename or removal is durable after fsync of its directory.
 *
 * Every fsync goes through a `FileSync` function so that tests can count them and a simulator
 * can fake a disk that loses unsynced writes.
 */
import {
  closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type FileSync = (fd: number) => void;

export const fsyncFile: FileSync = (fd) => fsyncSync(fd);

/** Writes all of `bytes` at `position` (a regular file may take fewer bytes per call). */
export function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}

/** Fills `target` from `position`; returns how many bytes the file had (short only at its end). */
export function readInto(fd: number, target: Uint8Array, position: number): number {
  let read = 0;
  while (read < target.length) {
    const n = readSync(fd, target, read, target.length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

export function syncDirectory(dir: string, sync: FileSync): void {
  const fd = openSync(dir, 'r');
  try {
    sync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes and fsyncs `path` in place (used for files that recovery can rebuild). */
export function writeFileSynced(path: string, bytes: Uint8Array, sync: FileSync): void {
  const fd = openSync(path, 'w');
  try {
    writeFully(fd, bytes, 0);
    sync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `dir/name` atomically and durably: write `name.tmp`, fsync it, rename it over `name`,
 * fsync the directory. A crash leaves the old file or the new one, never a mix.
 */
export function replaceFileDurably(
  dir: string, name: string, bytes: Uint8Array, sync: FileSync,
): void {
  const tempPath = join(dir, `${name}.tmp`);
  writeFileSynced(tempPath, bytes, sync);
  renameSync(tempPath, join(dir, name));
  syncDirectory(dir, sync);
}

/** Creates `dir` and missing parents; each new level is made durable in its parent. */
export function createDirectory(dir: string, fsync: FileSync): void {
  const created = mkdirSync(dir, { recursive: true });
  if (created === undefined) return;
  // Each new level must be recorded in its parent, from the deepest up.
  for (let level = resolve(dir); ; level = dirname(level)) {
    syncDirectory(dirname(level), fsync);
    if (level === resolve(created) || level === dirname(level)) break;
  }
}
