/**
 * The few file-system operations the stores build on, with the durability rules spelled out
 * once: file data is durable after fsync/fdatasync of the file; a file's existence, name or
 * absence is durable only after fsync of its directory (POSIX leaves rename and unlink in the
 * page cache until then). Everything awaited here runs on libuv's thread pool, never blocking the
 * event loop; the *Sync helpers only touch the page cache.
 */
import { closeSync, fdatasync, fdatasyncSync, readSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);

/** fdatasync: the file's data and the metadata needed to read it back (its size). */
export function syncFileData(fd: number): Promise<void> {
  return fdatasyncAsync(fd);
}

/** fdatasync on the calling thread (see LogStoreOptions.fsync). */
export function syncFileDataInline(fd: number): void {
  fdatasyncSync(fd);
}

/** Makes the creations, renames and removals of entries in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `dir` (and parents) if missing; a created directory is made durable in its parent. */
export async function ensureDirectory(dir: string): Promise<void> {
  const target = resolve(dir);
  const firstCreated = await mkdir(target, { recursive: true });
  if (firstCreated === undefined) return;
  // Every new level must be recorded in its parent: sync each parent, from the deepest up.
  for (let level = target; ; level = dirname(level)) {
    await syncDirectory(dirname(level));
    if (level === resolve(firstCreated) || level === dirname(level)) break;
  }
}

/** Writes all of `bytes` at `position` (a regular file may accept fewer bytes per call). */
export function writeFullySync(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}

export function readFullySync(fd: number, length: number, position: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, bytes, read, length - read, position + read);
    if (n === 0) throw new Error(`unexpected end of file at ${position + read}`);
    read += n;
  }
  return bytes;
}

export function closeQuietlySync(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing can only fail for a bad descriptor; the data path has already reported any error.
  }
}

/**
 * Replaces `dir/name` atomically and durably: write `dir/tempName`, fsync it, rename it over
 * `name`, fsync the directory. A crash leaves either the old or the new file, never a mix,
 * because rename is atomic and the new data was durable before the name pointed at it.
 */
export async function replaceFileDurably(
  dir: string,
  name: string,
  tempName: string,
  chunks: readonly Uint8Array[],
): Promise<void> {
  const tempPath = join(dir, tempName);
  const handle = await open(tempPath, 'w');
  try {
    // writeFile on a handle writes everything, from the current position on.
    for (const chunk of chunks) await handle.writeFile(chunk);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(tempPath, join(dir, name));
  await syncDirectory(dir);
}
