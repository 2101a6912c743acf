/**
 * Drives one simulated controller's QuorumController the way server/controller/
 * controller-driver.ts drives the real one, on virtual time, for one node incarnation (a
 * restart gets a fresh driver: the controller's pending view and broker sessions are memory):
 *  - every applied entry's image goes to controller.onCommitted, so standbys follow the log;
 *  - the controller activates only on the leader, once it has applied its whole log (its
 *    epoch's LeaderChange entry included) and no earlier proposal of this incarnation is
 *    unsettled; on a new cluster the metadata.version FeatureLevelRecord is written first;
 *  - each write is proposed as one entry, in the controller's order, at the offset it
 *    predicted; a refused proposal, an entry at another offset, an entry overwritten by
 *    another epoch, or a lost leadership deactivates it (it reactivates when caught up);
 *  - a write is settled (the client answered) when its entry is applied here: committed at
 *    the predicted offset in the proposing epoch, or failed; a write without records when the
 *    offset it waits for is applied while the controller stayed active;
 *  - a timer every heartbeatIntervalMs fences the brokers whose session expired.
 */
import type { Prng } from '../../lib/prng.js';
import { encodeRecords, QuorumController } from '../../metadata/index.js';
import type { ControllerConfig, ControllerResponse, MetadataRecord } from '../../metadata/index.js';
import type { Epoch, LogEntry, Offset } from '../../raft/core/types.js';
import { EntryKind, Role } from '../../raft/core/types.js';
import type { EventQueue } from './event-queue.js';
import type { MetadataSimMachine } from './metadata-sim-machine.js';
import type { SimNode } from './sim-node.js';

/** Where a write's entry committed, or undefined when the client gets an error instead. */
export type Committed = { readonly offset: Offset; readonly epoch: Epoch } | undefined;
export type Settle = (committed: Committed) => void;

export interface DriverSettings {
  readonly queue: EventQueue;
  readonly config: ControllerConfig;
  readonly heartbeatIntervalMs: number;
  readonly metadataVersionLevel: number;
}

interface Inflight {
  readonly epoch: Epoch;
  /** Undefined once the client was answered (a write that landed at another offset). */
  readonly settle: Settle | undefined;
}

export class SimControllerDriver {
  readonly node: SimNode<MetadataSimMachine>;
  readonly incarnation: number;
  readonly controller: QuorumController;
  activations = 0;
  readonly #settings: DriverSettings;
  /** Proposals of this incarnation by the offset Raft gave them, until applied here. */
  readonly #inflight = new Map<Offset, Inflight>();
  #waiters: { readonly offset: Offset; readonly settle: Settle }[] = [];
  #activeEpoch = -1;

  constructor(node: SimNode<MetadataSimMachine>, settings: DriverSettings, prng: Prng) {
    this.node = node;
    this.incarnation = node.incarnation;
    this.#settings = settings;
    this.controller = new QuorumController({ config: settings.config, prng, image: node.sm.image });
    this.#scheduleTimer();
  }

  get live(): boolean {
    return this.node.alive && this.node.incarnation === this.incarnation;
  }

  /** Proposes a controller response; `settle` runs once (possibly right away). */
  submit<T>(response: ControllerResponse<T>, settle: Settle): void {
    if (!response.ok) return settle(undefined);
    if (response.records.length === 0) {
      if (response.offset < this.node.sm.appliedOffset) {
        return settle({ offset: response.offset, epoch: this.#activeEpoch });
      }
      this.#waiters.push({ offset: response.offset, settle });
      return;
    }
    this.#propose(response.records, response.offset, settle);
  }

  #propose(records: readonly MetadataRecord[], expected: Offset, settle: Settle): void {
    const result = this.node.proposeData([encodeRecords(records)]);
    if (result === undefined || !result.ok) {
      this.#deactivate();
      return settle(undefined);
    }
    if (result.firstOffset !== expected) {
      // The entry may still commit; the client is told NOT_CONTROLLER (controller-driver.ts).
      this.#deactivate();
      this.#inflight.set(result.firstOffset, { epoch: result.epoch, settle: undefined });
      return settle(undefined);
    }
    this.#inflight.set(result.firstOffset, { epoch: result.epoch, settle });
  }

  /** The node applied a committed entry (after the state machine did). */
  onApplied(entry: LogEntry): void {
    if (entry.kind === EntryKind.data) this.controller.onCommitted(this.node.sm.image);
    const inflight = this.#inflight.get(entry.offset);
    if (inflight !== undefined) {
      this.#inflight.delete(entry.offset);
      const won = entry.epoch === inflight.epoch;
      if (!won) this.#deactivate();
      inflight.settle?.(won ? { offset: entry.offset, epoch: entry.epoch } : undefined);
    }
    if (this.#waiters.length > 0) {
      const applied = this.node.sm.appliedOffset;
      const ready = this.#waiters.filter((w) => w.offset < applied);
      this.#waiters = this.#waiters.filter((w) => w.offset >= applied);
      const epoch = this.#activeEpoch;
      for (const waiter of ready) waiter.settle({ offset: waiter.offset, epoch });
    }
    this.maybeActivate();
  }

  /** A leader's snapshot replaced the log: every proposal of this node failed. */
  onSnapshotInstalled(): void {
    this.controller.onCommitted(this.node.sm.image);
    this.#deactivate();
    const inflight = [...this.#inflight.values()];
    this.#inflight.clear();
    for (const proposal of inflight) proposal.settle?.(undefined);
  }

  /** Activates or deactivates the controller to follow this node's leadership. */
  maybeActivate(): void {
    if (!this.live) return;
    const core = this.node.core;
    const leading = core.role === Role.leader;
    if (this.controller.isActive) {
      if (leading && core.epoch === this.#activeEpoch) return;
      this.#deactivate();
    }
    if (!leading || this.#inflight.size > 0) return;
    if (this.node.sm.appliedOffset !== core.logEndOffset) return;
    if (this.#writeBootstrap()) return;
    this.controller.activate(this.#settings.queue.now, core.logEndOffset);
    this.#activeEpoch = core.epoch;
    this.activations += 1;
  }

  #writeBootstrap(): boolean {
    if (this.controller.committedImage.features.has('metadata.version')) return false;
    const record: MetadataRecord = {
      type: 'FeatureLevelRecord',
      name: 'metadata.version',
      featureLevel: this.#settings.metadataVersionLevel,
    };
    this.#propose([record], this.node.core.logEndOffset, () => undefined);
    return true;
  }

  #deactivate(): void {
    if (!this.controller.isActive) return;
    this.controller.deactivate();
    this.#activeEpoch = -1;
    // Writes without records vouch for the view of this activation: they fail with it.
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.settle(undefined);
  }

  #scheduleTimer(): void {
    this.#settings.queue.after(this.#settings.heartbeatIntervalMs, () => {
      if (!this.live) return;
      this.maybeActivate();
      if (this.controller.isActive) {
        for (const write of this.controller.expireSessions(this.#settings.queue.now)) {
          // A refused proposal deactivates: the later writes' predicted offsets are void.
          if (!this.controller.isActive) break;
          this.#propose(write.records, write.offset, () => undefined);
        }
      }
      this.#scheduleTimer();
    });
  }
}
