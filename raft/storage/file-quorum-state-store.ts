/**
 * The quorum state (epoch, vote, leader) in `<dir>/quorum-state`, replaced atomically and durably
 * (temp file, fsync, rename, directory fsync) as KRaft's FileQuorumStateStore does. A missing
 * file means a node that never voted; a file that cannot be read is an error, never a reset: a
 * forgotten vote could let this node vote twice in one epoch and elect two leaders.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuorumState } from '../core/types.js';
import { ensureDirectory, replaceFileDurably } from './durable-fs.js';
import { QUORUM_STATE_FILE_NAME, QUORUM_STATE_TEMP_FILE_NAME } from './file-names.js';
import {
  assertQuorumStateChange,
  decodeQuorumState,
  encodeQuorumState,
  INITIAL_QUORUM_STATE,
} from './quorum-state-codec.js';
import type { QuorumStateStore } from './types.js';

export class FileQuorumStateStore implements QuorumStateStore {
  readonly #dir: string;
  /** The state on disk (the last write that completed). */
  #durable: QuorumState;
  /** The last state handed to write(): what the next write is checked against. */
  #requested: QuorumState;
  /** Writes run one after another; this is the tail of the queue. */
  #queue: Promise<void> = Promise.resolve();

  /** Reads `<dir>/quorum-state`; rejects with a CorruptStorageError if it cannot be parsed. */
  static async open(dir: string): Promise<FileQuorumStateStore> {
    await ensureDirectory(dir);
    const path = join(dir, QUORUM_STATE_FILE_NAME);
    let state = INITIAL_QUORUM_STATE;
    try {
      state = decodeQuorumState(await readFile(path, 'utf8'), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new FileQuorumStateStore(dir, state);
  }

  private constructor(dir: string, state: QuorumState) {
    this.#dir = dir;
    this.#durable = state;
    this.#requested = state;
  }

  read(): QuorumState {
    return this.#durable;
  }

  write(state: QuorumState): Promise<void> {
    assertQuorumStateChange(this.#requested, state);
    this.#requested = state;
    const text = Buffer.from(encodeQuorumState(state), 'utf8');
    const done = this.#queue.then(async () => {
      const [name, tempName] = [QUORUM_STATE_FILE_NAME, QUORUM_STATE_TEMP_FILE_NAME];
      await replaceFileDurably(this.#dir, name, tempName, [text]);
      this.#durable = state;
    });
    this.#queue = done.catch(() => undefined);
    return done;
  }
}
