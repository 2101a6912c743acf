/**
 * Crash-safe file replacement: write `<file>.tmp`, fsync it, rename it over `<file>`, then fsync
 * the directory so the rename itself survives a crash (Kafka's Utils.atomicMoveWithFallback).
 * A reader therefore sees either the old file or the complete new one, never a torn write.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isCode } from './fs-errors.js';

export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes a directory's entries (creations, renames) durable. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) and file systems refuse fsync on a directory; the rename is as
    // durable there as the platform allows.
    const refused = ['EISDIR', 'EINVAL', 'EPERM'].some((code) => isCode(error, code));
    if (!refused) throw error;
  } finally {
    await handle.close();
  }
}
