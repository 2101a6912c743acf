/**
 * The one expected failure of the storage layer that is not an I/O error: a file that exists but
 * cannot be read back. It is raised, never repaired silently, wherever guessing could break a
 * Raft guarantee (a reset quorum-state file could let this node vote twice in one epoch).
 */
export class CorruptStorageError extends Error {
  override name = 'CorruptStorageError';

  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`corrupt storage file ${path}: ${detail}`);
  }
}
