/**
 * Drives a QuorumController from a Raft client (the wiring list of metadata/controller/
 * quorum-controller.ts). Generic over its inputs: any RaftClient (RaftNode in production, the
 * simulator's node in tests/sim/metadata-simulation.ts) and any Clock (the system clock, or
 * the simulator's virtual one), so that the simulation runs this very class.
 *  - every committed image goes to controller.onCommitted (MetadataStateMachine.subscribe);
 *  - the controller becomes active once this node leads and has applied its whole log, so
 *    everything before the epoch start is in the image (KRaft waits for the listener to reach
 *    the epoch start offset). Waiting for the whole log also covers a reactivation in the same
 *    epoch: no entry of an earlier activation can still be on its way. On first activation of a
 *    new cluster the metadata.version FeatureLevelRecord from bootstrap.checkpoint is written
 *    (before activation, as the epoch's first entry, so predicted offsets stay exact). The
 *    check runs whenever leadership changes (RaftClient.onLeaderChange, Kafka's
 *    handleLeaderChange), entries commit or a proposal settles: nothing polls;
 *  - each write is proposed as one entry, in the order the controller produced it; the reply
 *    goes out once its offset commits; a proposal that fails or lands at another offset than
 *    predicted deactivates the controller (it reactivates when caught up again), and fails the
 *    writes without records still waiting for their offset;
 *  - timers, while active: session expiry every broker.heartbeat.interval.ms and a NoOpRecord
 *    every metadata.max.idle.interval.ms; and a deadline for writes waiting for an offset.
 */
import { systemClock, type Clock, type Timer } from '../../lib/clock.js';
import type {
  ApiError, ControllerResponse, ControllerWrite, MetadataImage,
} from '../../metadata/index.js';
import { encodeRecords, type MetadataRecord } from '../../metadata/index.js';
import type { MetadataStateMachine, QuorumController } from '../../metadata/index.js';
import { ProposalError } from '../../raft/pending-proposals.js';
import type { RaftClient } from '../../raft/raft-client.js';
import { Role } from '../../raft/core/types.js';

/** The most writes without records waiting for an earlier offset to commit. */
export const MAX_EMPTY_WRITE_WAITERS = 10_000;

export type WriteOutcome<T> =
  | { readonly ok: true; readonly reply: T; readonly offset: number; readonly epoch: number }
  | { readonly ok: false; readonly error: ApiError };
/** Runs once, when the client can be answered (possibly at once). */
export type WriteCallback<T> = (outcome: WriteOutcome<T>) => void;

export interface ControllerDriverOptions {
  readonly raft: RaftClient;
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
  /** Session times and timers (default: the system clock). */
  readonly clock?: Clock;
}

interface EmptyWriteWaiter {
  readonly offset: number;
  readonly deadlineMs: number;
  readonly settle: (committed: boolean) => void;
}

const NOT_COMMITTED_IN_TIME: ApiError = {
  error: 'NOT_CONTROLLER', message: 'The write was not committed in time.',
};

export class ControllerDriver {
  readonly #options: ControllerDriverOptions;
  readonly #raft: RaftClient;
  readonly #controller: QuorumController;
  readonly #clock: Clock;
  readonly #unsubscribe: (() => void)[];
  /** Proposals of this driver not yet settled (writes and the bootstrap record). */
  #inflight = 0;
  #activeEpoch = -1;
  #activations = 0;
  #waiters: EmptyWriteWaiter[] = [];
  #waiterTimer: Timer | undefined;
  #activeTimers: Timer[] = [];
  #activating = false;
  #closed = false;

  constructor(options: ControllerDriverOptions) {
    this.#options = options;
    this.#raft = options.raft;
    this.#controller = options.controller;
    this.#clock = options.clock ?? systemClock;
    this.#unsubscribe = [
      options.stateMachine.subscribe((_delta, image) => this.#controller.onCommitted(image)),
      this.#raft.onCommitted(() => this.#onCommitted()),
      this.#raft.onLeaderChange(() => this.#maybeActivate()),
    ];
    this.#maybeActivate();
  }

  get controller(): QuorumController {
    return this.#controller;
  }

  /** The clock the controller's session times come from (the API handlers use it too). */
  get clock(): Clock {
    return this.#clock;
  }

  /** The image every committed entry applied so far produced (same on every controller). */
  get committedImage(): MetadataImage {
    return this.#controller.committedImage;
  }

  /** One past the last committed entry this process has applied (any kind). */
  get appliedEndOffset(): number {
    return this.#raft.appliedEndOffset;
  }

  /** How many times the controller became active (failovers, reactivations). */
  get activations(): number {
    return this.#activations;
  }

  close(): void {
    if (this.#closed) return;
    this.#deactivate('closing');
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#failWaiters();
  }

  /**
   * Sends a controller response through the log; `settle` runs once with the client's answer.
   * Must be called in the same synchronous turn as the controller call that produced it, so
   * proposals go out in the controller's order.
   */
  submit<T>(response: ControllerResponse<T>, settle: WriteCallback<T>): void {
    if (!response.ok) return settle({ ok: false, error: response.error });
    if (response.records.length === 0) return this.#awaitOffset(response, settle);
    this.#propose(response.records, response.offset, (error, epoch) => settle(
      error === undefined
        ? { ok: true, reply: response.reply, offset: response.offset, epoch }
        : { ok: false, error },
    ));
  }

  #awaitOffset<T>(write: ControllerWrite<T>, settle: WriteCallback<T>): void {
    const done: WriteOutcome<T> = {
      ok: true, reply: write.reply, offset: write.offset, epoch: this.#activeEpoch,
    };
    if (write.offset < this.#raft.appliedEndOffset) return settle(done);
    if (this.#waiters.length >= MAX_EMPTY_WRITE_WAITERS) {
      return settle({ ok: false, error: {
        error: 'NOT_CONTROLLER', message: 'Too many requests waiting for the metadata log.',
      } });
    }
    this.#waiters.push({
      offset: write.offset,
      deadlineMs: this.#clock.nowMs() + this.#options.emptyWriteTimeoutMs,
      settle: (committed) => settle(committed ? done : { ok: false, error: NOT_COMMITTED_IN_TIME }),
    });
    this.#armWaiterTimer();
  }

  /** `done` gets undefined when the entry committed at `expectedOffset`, else the error. */
  #propose(
    records: readonly MetadataRecord[], expectedOffset: number,
    done: (error: ApiError | undefined, epoch: number) => void,
  ): void {
    this.#inflight++;
    this.#raft.submit(encodeRecords(records), (result) => {
      this.#inflight--;
      let error: ApiError | undefined;
      if (result instanceof ProposalError) {
        this.#deactivate(`proposal failed: ${result.code}`);
        error = { error: 'NOT_CONTROLLER', message: `The write failed: ${result.code}.` };
      } else if (result.offset !== expectedOffset) {
        this.#deactivate(`write expected at ${expectedOffset} landed at ${result.offset}`);
        error = { error: 'NOT_CONTROLLER', message: 'The controller moved; retry the request.' };
      }
      this.#maybeActivate();
      done(error, result instanceof ProposalError ? -1 : result.epoch);
    });
  }

  #onCommitted(): void {
    if (this.#waiters.length > 0) {
      const appliedEnd = this.#raft.appliedEndOffset;
      const ready = this.#waiters.filter((w) => w.offset < appliedEnd);
      this.#waiters = this.#waiters.filter((w) => w.offset >= appliedEnd);
      for (const waiter of ready) waiter.settle(true);
    }
    this.#maybeActivate();
  }

  /** One timer for the earliest deadline (waiters are in deadline order: one timeout). */
  #armWaiterTimer(): void {
    const first = this.#waiters[0];
    if (this.#waiterTimer !== undefined || first === undefined) return;
    const delayMs = Math.max(0, first.deadlineMs - this.#clock.nowMs());
    this.#waiterTimer = this.#clock.setTimeout(() => {
      this.#waiterTimer = undefined;
      const nowMs = this.#clock.nowMs();
      const expired = this.#waiters.filter((w) => w.deadlineMs <= nowMs);
      this.#waiters = this.#waiters.filter((w) => w.deadlineMs > nowMs);
      for (const waiter of expired) waiter.settle(false);
      this.#armWaiterTimer();
    }, delayMs);
  }

  #failWaiters(): void {
    this.#waiterTimer?.cancel();
    this.#waiterTimer = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.settle(false);
  }

  /** Activates or deactivates the controller to follow this node's leadership. */
  #maybeActivate(): void {
    // A proposal refused at once settles inside #writeBootstrap: no second round from there.
    if (this.#closed || this.#activating) return;
    this.#activating = true;
    try {
      this.#followLeadership();
    } finally {
      this.#activating = false;
    }
  }

  #followLeadership(): void {
    const { role, epoch } = this.#raft.leaderAndEpoch;
    const leading = role === Role.leader;
    if (this.#controller.isActive) {
      if (leading && epoch === this.#activeEpoch) return;
      this.#deactivate(`leadership lost (epoch ${epoch})`);
    }
    if (!leading || this.#inflight > 0) return;
    const logEndOffset = this.#raft.logEndOffset;
    if (this.#raft.appliedEndOffset !== logEndOffset) return;
    if (this.#writeBootstrap(logEndOffset)) return;
    this.#controller.activate(this.#clock.nowMs(), logEndOffset);
    this.#activeEpoch = epoch;
    this.#activations++;
    this.#startActiveTimers();
    this.#options.log(`Activated the controller in epoch ${epoch} at offset ${logEndOffset}`);
  }

  #startActiveTimers(): void {
    const { heartbeatIntervalMs, idleIntervalMs } = this.#options;
    this.#activeTimers.push(
      this.#clock.setInterval(() => this.#expireSessions(), heartbeatIntervalMs),
    );
    if (idleIntervalMs > 0) {
      this.#activeTimers.push(this.#clock.setInterval(() => {
        if (this.#controller.isActive) this.submit(this.#controller.writeNoOp(), () => undefined);
      }, idleIntervalMs));
    }
  }

  #expireSessions(): void {
    if (!this.#controller.isActive) return;
    const activation = this.#activations;
    for (const write of this.#controller.expireSessions(this.#clock.nowMs())) {
      // A refused proposal deactivates at once: the later writes' predicted offsets are void.
      if (!this.#controller.isActive || this.#activations !== activation) break;
      this.#options.log(`Fencing broker ${write.reply}: its session expired`);
      this.#propose(write.records, write.offset, () => undefined);
    }
  }

  /** A new cluster's first leader writes metadata.version; true while that is under way. */
  #writeBootstrap(logEndOffset: number): boolean {
    const level = this.#options.bootstrapMetadataVersionLevel;
    if (level === undefined || this.#controller.committedImage.features.has('metadata.version')) {
      return false;
    }
    const record: MetadataRecord = {
      type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: level,
    };
    this.#options.log(`Writing the bootstrap metadata.version level ${level}`);
    this.#propose([record], logEndOffset, () => undefined);
    return true;
  }

  #deactivate(reason: string): void {
    if (!this.#controller.isActive) return;
    this.#controller.deactivate();
    this.#activeEpoch = -1;
    for (const timer of this.#activeTimers) timer.cancel();
    this.#activeTimers = [];
    // A write without records was answered from the controller's view, which is only sure to
    // commit while the controller stays active: the log may now hold other entries at the
    // offsets it predicted (found by the metadata simulation), so its waiters fail (retriable).
    this.#failWaiters();
    this.#options.log(`Deactivated the controller: ${reason}`);
  }
}
