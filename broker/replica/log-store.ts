/**
 * Opens, closes and deletes the partition logs of this broker's replicas, in
 * `<logDir>/<topic>-<partition>` under the first log dir.
 *
 * Opening recovers a log and is synchronous work, so tens of thousands of partitions arriving
 * in one metadata batch (start-up) are opened in the background, at most LOG_OPEN_CHUNK and
 * LOG_OPEN_TURN_MS per event-loop turn (heartbeats and requests go on meanwhile); a request or
 * a fetcher that needs a log before its turn opens it on demand. A log being
 * deleted (topic deleted, replica moved away) keeps its directory locked until the files are
 * gone, so a topic re-created under the same name opens a fresh directory, never the old files.
 */
import { rm } from 'node:fs/promises';
import { AssertionFailure } from '../../lib/assert.js';
import {
  partitionDirectory, PartitionLog, type PartitionLogConfig,
} from '../log/index.js';
import { LOG_OPEN_CHUNK, LOG_OPEN_TURN_MS } from './limits.js';
import { attachLog, detachLog, type Partition } from './partition.js';

export interface LogStoreOptions {
  readonly logDir: string;
  readonly logConfig: (topicName: string) => PartitionLogConfig;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
  /** Called once a replica's log is open and attached to the partition (attachLog). */
  readonly onOpened: (p: Partition) => void;
}

interface Opening {
  readonly promise: Promise<PartitionLog | undefined>;
  readonly settle: (log: PartitionLog | undefined) => void;
  started: boolean;
}

export class LogStore {
  readonly #options: LogStoreOptions;
  readonly #opening = new Map<Partition, Opening>();
  /** Directories whose deletion is in progress. */
  readonly #deleting = new Map<string, Promise<void>>();
  /** Logs a request or a fetcher waits for, opened before the background queue. */
  #urgent: Partition[] = [];
  #urgentHead = 0;
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
    this.#kick();
  }

  /**
   * The partition's log, opened soon if it is not yet (ahead of the background queue, but
   * within the same per-turn budget: a fetch naming 10,000 new partitions must not stall the
   * broker); undefined if stopped or unreadable.
   */
  open(p: Partition): Promise<PartitionLog | undefined> {
    if (p.log !== undefined) return Promise.resolve(p.log);
    const opening = this.#opening.get(p) ?? this.#track(p);
    if (!opening.started) {
      this.#urgent.push(p);
      this.#kick();
    }
    return opening.promise;
  }

  #track(p: Partition): Opening {
    let settle: (log: PartitionLog | undefined) => void = () => undefined;
    const promise = new Promise<PartitionLog | undefined>((resolve) => {
      settle = resolve;
    });
    const opening: Opening = { promise, settle, started: false };
    this.#opening.set(p, opening);
    return opening;
  }

  #kick(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => this.#pump());
  }

  #next(): Partition | undefined {
    if (this.#urgentHead < this.#urgent.length) return this.#urgent[this.#urgentHead++];
    if (this.#head < this.#queue.length) return this.#queue[this.#head++];
    return undefined;
  }

  #pump(): void {
    let opened = 0;
    const deadline = performance.now() + LOG_OPEN_TURN_MS;
    while (opened < LOG_OPEN_CHUNK && !this.#closed && performance.now() < deadline) {
      const p = this.#next();
      if (p === undefined) break;
      if (p.log !== undefined) continue;
      const opening = this.#opening.get(p) ?? this.#track(p);
      if (opening.started) continue;
      opening.started = true;
      if (p.stopped) {
        this.#opening.delete(p);
        opening.settle(undefined);
        continue;
      }
      void this.#open(p).then((log) => {
        this.#opening.delete(p);
        opening.settle(log);
      });
      opened++;
    }
    const more = this.#urgentHead < this.#urgent.length || this.#head < this.#queue.length;
    if (more && !this.#closed) {
      setImmediate(() => this.#pump());
      return;
    }
    this.#urgent = [];
    this.#urgentHead = 0;
    this.#queue = [];
    this.#head = 0;
    this.#pumping = false;
    if (this.#closed) {
      for (const [, opening] of this.#opening) if (!opening.started) opening.settle(undefined);
    }
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
    attachLog(p, log);
    this.#options.onOpened(p);
    return log;
  }

  /** Closes the replica's log, deleting its files when `deleteFiles`. The partition is stopped. */
  stop(p: Partition, deleteFiles: boolean): Promise<void> {
    const dir = this.directoryOf(p);
    const previous = this.#deleting.get(dir) ?? Promise.resolve();
    const done = previous.then(async () => {
      const log = p.log ?? await this.#opening.get(p)?.promise;
      detachLog(p);
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
    for (const [p, opening] of this.#opening) {
      if (opening.started) continue;
      this.#opening.delete(p);
      opening.settle(undefined);
    }
    await Promise.allSettled([...[...this.#opening.values()].map((o) => o.promise),
      ...this.#deleting.values()]);
  }
}
