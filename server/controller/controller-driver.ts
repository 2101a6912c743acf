/**
 * Drives a QuorumController from a RaftNode (the wiring list of metadata/controller/
 * quorum-controller.ts):
 *  - every committed image goes to controller.onCommitted (MetadataStateMachine.subscribe);
 *  - the controller becomes active once this node leads and has applied its whole log, so
 *    everything before the epoch start is in the image (KRaft waits for the listener to reach
 *    the epoch start offset). Waiting for the whole log also covers a reactivation in the same
 *    epoch: no entry of an earlier activation can still be on its way. On first activation of a
 *    new cluster the metadata.version FeatureLevelRecord from bootstrap.checkpoint is written
 *    (before activation, as the epoch's first entry, so predicted offsets stay exact);
 *  - each write is proposed as one entry, in the order the controller produced it; the reply
 *    goes out once its offset commits; a proposal that fails or lands at another offset than
 *    predicted deactivates the controller (it reactivates when caught up again), and fails the
 *    writes without records still waiting for their offset;
 *  - timers: session expiry every broker.heartbeat.interval.ms, a NoOpRecord every
 *    metadata.max.idle.interval.ms, and a leadership check every LEADERSHIP_CHECK_MS.
 */
import type {
  ApiError, ControllerResponse, ControllerWrite, MetadataImage,
} from '../../metadata/index.js';
import { encodeRecords, type MetadataRecord } from '../../metadata/index.js';
import type { MetadataStateMachine, QuorumController } from '../../metadata/index.js';
import { ProposalError } from '../../raft/pending-proposals.js';
import type { RaftNode } from '../../raft/runtime.js';
import type { LogEntry } from '../../raft/core/types.js';

/** How often leadership changes without commits (resign, lost quorum) are noticed. */
export const LEADERSHIP_CHECK_MS = 20;
/** The most writes without records waiting for an earlier offset to commit. */
export const MAX_EMPTY_WRITE_WAITERS = 10_000;

export type WriteOutcome<T> =
  | { readonly ok: true; readonly reply: T; readonly offset: number }
  | { readonly ok: false; readonly error: ApiError };

export interface ControllerDriverOptions {
  readonly node: RaftNode;
  readonly stateMachine: MetadataStateMachine;
  readonly controller: QuorumController;
  /** metadata.version's feature level from bootstrap.checkpoint, if any. */
  readonly bootstrapMetadataVersionLevel?: number;
  readonly heartbeatIntervalMs: number;
  /** 0 disables the NoOpRecord timer. */
  readonly idleIntervalMs: number;
  /** How long a write without records waits for its offset to commit. */
  readonly emptyWriteTimeoutMs: number;
  readonly log: (line: string) => void;
  readonly nowMs?: () => number;
}

interface EmptyWriteWaiter {
  readonly offset: number;
  readonly deadlineMs: number;
  readonly settle: (committed: boolean) => void;
}

export class ControllerDriver {
  readonly #options: ControllerDriverOptions;
  readonly #node: RaftNode;
  readonly #controller: QuorumController;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  /** One past the last committed entry this process has applied (any kind). */
  #appliedEnd = 0;
  /** Proposals of this driver not yet settled (writes and the bootstrap record). */
  #inflight = 0;
  #activeEpoch = -1;
  #waiters: EmptyWriteWaiter[] = [];
  #lastSessionCheckMs = 0;
  #lastNoOpMs = 0;
  #closed = false;

  constructor(options: ControllerDriverOptions) {
    this.#options = options;
    this.#node = options.node;
    this.#controller = options.controller;
    this.#now = options.nowMs ?? Date.now;
    this.#appliedEnd = this.#node.status().logStartOffset;
    options.stateMachine.subscribe((_delta, image) => this.#controller.onCommitted(image));
    this.#node.onCommitted((entries) => this.#onCommitted(entries));
    this.#timer = setInterval(() => this.#onTimer(), LEADERSHIP_CHECK_MS);
  }

  get controller(): QuorumController {
    return this.#controller;
  }

  /** The image every committed entry applied so far produced (same on every controller). */
  get committedImage(): MetadataImage {
    return this.#controller.committedImage;
  }

  get appliedEndOffset(): number {
    return this.#appliedEnd;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#deactivate('closing');
    for (const waiter of this.#waiters) waiter.settle(false);
    this.#waiters = [];
  }

  /**
   * Sends a controller response through the log. Must be called in the same synchronous turn
   * as the controller call that produced it, so proposals go out in the controller's order.
   */
  submit<T>(response: ControllerResponse<T>): Promise<WriteOutcome<T>> {
    if (!response.ok) return Promise.resolve({ ok: false, error: response.error });
    if (response.records.length === 0) return this.#awaitOffset(response);
    return this.#propose(response.records, response.offset).then(
      (error) => error === undefined
        ? { ok: true, reply: response.reply, offset: response.offset }
        : { ok: false, error },
    );
  }

  #awaitOffset<T>(write: ControllerWrite<T>): Promise<WriteOutcome<T>> {
    const done: WriteOutcome<T> = { ok: true, reply: write.reply, offset: write.offset };
    if (write.offset < this.#appliedEnd) return Promise.resolve(done);
    if (this.#waiters.length >= MAX_EMPTY_WRITE_WAITERS) {
      return Promise.resolve({ ok: false, error: {
        error: 'NOT_CONTROLLER', message: 'Too many requests waiting for the metadata log.',
      } } as WriteOutcome<T>);
    }
    return new Promise((resolve) => {
      this.#waiters.push({
        offset: write.offset,
        deadlineMs: this.#now() + this.#options.emptyWriteTimeoutMs,
        settle: (committed) => resolve(committed ? done : {
          ok: false,
          error: { error: 'NOT_CONTROLLER', message: 'The write was not committed in time.' },
        } as WriteOutcome<T>),
      });
    });
  }

  /** Resolves undefined when the entry committed at `expectedOffset`, else the error. */
  async #propose(
    records: readonly MetadataRecord[], expectedOffset: number,
  ): Promise<ApiError | undefined> {
    this.#inflight++;
    try {
      const committed = await this.#node.propose(encodeRecords(records));
      if (committed.offset === expectedOffset) return undefined;
      this.#deactivate(`write expected at ${expectedOffset} landed at ${committed.offset}`);
      return { error: 'NOT_CONTROLLER', message: 'The controller moved; retry the request.' };
    } catch (error) {
      if (!(error instanceof ProposalError)) throw error;
      this.#deactivate(`proposal failed: ${error.code}`);
      return { error: 'NOT_CONTROLLER', message: `The write failed: ${error.code}.` };
    } finally {
      this.#inflight--;
      this.#maybeActivate();
    }
  }

  #onCommitted(entries: readonly LogEntry[]): void {
    const last = entries[entries.length - 1];
    if (last !== undefined) this.#appliedEnd = Math.max(this.#appliedEnd, last.offset + 1);
    if (this.#waiters.length > 0) {
      const ready = this.#waiters.filter((w) => w.offset < this.#appliedEnd);
      this.#waiters = this.#waiters.filter((w) => w.offset >= this.#appliedEnd);
      for (const waiter of ready) waiter.settle(true);
    }
    this.#maybeActivate();
  }

  #onTimer(): void {
    if (this.#closed) return;
    const nowMs = this.#now();
    if (this.#waiters.length > 0) {
      const expired = this.#waiters.filter((w) => w.deadlineMs <= nowMs);
      this.#waiters = this.#waiters.filter((w) => w.deadlineMs > nowMs);
      for (const waiter of expired) waiter.settle(false);
    }
    this.#maybeActivate();
    if (!this.#controller.isActive) return;
    if (nowMs - this.#lastSessionCheckMs >= this.#options.heartbeatIntervalMs) {
      this.#lastSessionCheckMs = nowMs;
      for (const write of this.#controller.expireSessions(nowMs)) {
        this.#options.log(`Fencing broker ${write.reply}: its session expired`);
        void this.#propose(write.records, write.offset);
      }
    }
    const idleMs = this.#options.idleIntervalMs;
    if (idleMs > 0 && nowMs - this.#lastNoOpMs >= idleMs && this.#controller.isActive) {
      this.#lastNoOpMs = nowMs;
      void this.submit(this.#controller.writeNoOp());
    }
  }

  /** Activates or deactivates the controller to follow this node's leadership. */
  #maybeActivate(): void {
    if (this.#closed) return;
    const status = this.#node.status();
    const leading = status.role === 'Leader';
    if (this.#controller.isActive) {
      if (!leading || status.epoch !== this.#activeEpoch) {
        this.#deactivate(`leadership lost (epoch ${status.epoch})`);
      } else {
        return;
      }
    }
    if (!leading || this.#inflight > 0) return;
    this.#appliedEnd = Math.max(this.#appliedEnd, status.logStartOffset);
    if (this.#appliedEnd !== status.logEndOffset) return;
    if (this.#writeBootstrap()) return;
    const nowMs = this.#now();
    this.#controller.activate(nowMs, status.logEndOffset);
    this.#activeEpoch = status.epoch;
    this.#lastSessionCheckMs = nowMs;
    this.#lastNoOpMs = nowMs;
    this.#options.log(`Activated the controller in epoch ${status.epoch} at offset ` +
      `${status.logEndOffset}`);
  }

  /** A new cluster's first leader writes metadata.version; true while that is under way. */
  #writeBootstrap(): boolean {
    const level = this.#options.bootstrapMetadataVersionLevel;
    if (level === undefined || this.#controller.committedImage.features.has('metadata.version')) {
      return false;
    }
    const record: MetadataRecord = {
      type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: level,
    };
    this.#options.log(`Writing the bootstrap metadata.version level ${level}`);
    this.#inflight++;
    this.#node.propose(encodeRecords([record])).catch((error: unknown) => {
      if (!(error instanceof ProposalError)) throw error;
    }).finally(() => {
      this.#inflight--;
      this.#maybeActivate();
    });
    return true;
  }

  #deactivate(reason: string): void {
    if (!this.#controller.isActive) return;
    this.#controller.deactivate();
    this.#activeEpoch = -1;
    // A write without records was answered from the controller's view, which is only sure to
    // commit while the controller stays active: the log may now hold other entries at the
    // offsets it predicted (found by the metadata simulation), so its waiters fail (retriable).
    for (const waiter of this.#waiters) waiter.settle(false);
    this.#waiters = [];
    this.#options.log(`Deactivated the controller: ${reason}`);
  }
}
