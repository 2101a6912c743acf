/**
 * Opens, closes and deletes the partition logs of this broker's replicas, in
 * `<logDir>/<topic>-<partition>` under the first log dir.
 *
 * Opening recovers a log and is synchronous work, so tens of thousands of partitions arriving
 * in one metadata batch (start-up) are opened in the background LOG_OPEN_CHUNK per event-loop
 * turn; a request or a fetcher that needs a log before its turn opens it on demand. A log being
 * deleted (topic deleted, replica moved away) keeps its directory locked until the files are
 * gone, so a topic re-created under the same name opens a fresh directory, never the old files.
 */
import { rm } from 'node:fs/promises';
import { AssertionFailure } from '../../lib/assert.js';
import {
  partitionDirectory, PartitionLog, type PartitionLogConfig,
} from '../log/index.js';
import { LOG_OPEN_CHUNK } from './limits.js';
import type { Partition } from './partition.js';

export interface LogStoreOptions {
  readonly logDir: string;
  readonly logConfig: (topicName: string) => PartitionLogConfig;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
  /** Called once a replica's log is open and set on the partition. */
  readonly onOpened: (p: Partition) => void;
}

export class LogStore {
  readonly #options: LogStoreOptions;
  readonly #opening = new Map<Partition, Promise<PartitionLog | undefined>>();
  /** Directories whose deletion is in progress. */
  readonly #deleting = new Map<string, Promise<void>>();
  /** The background queue; `#head` is its next entry (no Array.shift on a long queue). */
  #queue: Partition[] = [];
  #head = 0;
  #pumping = false;
  #closed = false;

  constructor(options: LogStoreOptions) {
    this.#options = options;
  }

  directoryOf(p: Partition): string {
    return partitionDirectory(this.#options.logDir, p.topicName, p.partitionId);
  }

  /** Queues the log for opening in the background. */
  schedule(p: Partition): void {
    if (p.log !== undefined || this.#opening.has(p)) return;
    this.#queue.push(p);
    if (this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => this.#pump());
  }

  #pump(): void {
    let opened = 0;
    while (this.#head < this.#queue.length && opened < LOG_OPEN_CHUNK && !this.#closed) {
      const p = this.#queue[this.#head++]!;
      if (p.stopped || p.log !== undefined || this.#opening.has(p)) continue;
      void this.open(p);
      opened++;
    }
    if (this.#head < this.#queue.length && !this.#closed) {
      setImmediate(() => this.#pump());
      return;
    }
    this.#queue = [];
    this.#head = 0;
    this.#pumping = false;
  }

  /** The partition's log, opened now if it is not yet; undefined if stopped or unreadable. */
  open(p: Partition): Promise<PartitionLog | undefined> {
    if (p.log !== undefined) return Promise.resolve(p.log);
    const inProgress = this.#opening.get(p);
    if (inProgress !== undefined) return inProgress;
    const opening = this.#open(p).finally(() => this.#opening.delete(p));
    this.#opening.set(p, opening);
    return opening;
  }

  async #open(p: Partition): Promise<PartitionLog | undefined> {
    const dir = this.directoryOf(p);
    const deletion = this.#deleting.get(dir);
    if (deletion !== undefined) await deletion;
    if (p.stopped || this.#closed) return undefined;
    let log: PartitionLog;
    try {
      log = await PartitionLog.open(dir, this.#options.logConfig(p.topicName), {
        nowMs: this.#options.nowMs, log: this.#options.log,
      });
    } catch (error) {
      if (error instanceof AssertionFailure) throw error;
      this.#options.log(`Cannot open the log of ${p.key}: ${(error as Error).message}`);
      return undefined;
    }
    if (p.stopped || this.#closed) {
      log.close();
      return undefined;
    }
    p.log = log;
    this.#options.onOpened(p);
    return log;
  }

  /** Closes the replica's log, deleting its files when `deleteFiles`. The partition is stopped. */
  stop(p: Partition, deleteFiles: boolean): Promise<void> {
    const dir = this.directoryOf(p);
    const previous = this.#deleting.get(dir) ?? Promise.resolve();
    const done = previous.then(async () => {
      const log = p.log ?? await this.#opening.get(p);
      p.log = undefined;
      if (!deleteFiles) {
        log?.close();
        return;
      }
      if (log !== undefined) await log.delete();
      else await rm(dir, { recursive: true, force: true });
    }).catch((error: unknown) => {
      if (error instanceof AssertionFailure) throw error;
      this.#options.log(`Cannot remove the log of ${p.key}: ${(error as Error).message}`);
    });
    if (!deleteFiles) return done;
    const tracked = done.finally(() => {
      if (this.#deleting.get(dir) === tracked) this.#deleting.delete(dir);
    });
    this.#deleting.set(dir, tracked);
    return tracked;
  }

  /** Waits for opens and deletions in flight; later opens are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#opening.values(), ...this.#deleting.values()]);
  }
}
