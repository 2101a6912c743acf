/**
 * The quorum controller (KIP-631): the same object runs on every controller. Standbys only
 * follow the committed image (onCommitted); the active one (the Raft leader) also answers
 * requests. Request handlers never change the committed state: they return the records to
 * propose, and the state changes when those records come back committed, through the
 * MetadataStateMachine, on every controller alike.
 *
 * Pending view. The active controller validates each request against its view: the committed
 * image plus the records it has handed out but not yet seen committed. So two creations of
 * the same topic in flight cannot both succeed, and a broker epoch is known before its
 * registration commits. Each write is given the offset its entry will take (`nextOffset`,
 * set at activation and advanced per write); the wiring must propose every write as exactly
 * one entry, in order, and check that Raft put it at that offset.
 *
 * Ordering contract with the wiring:
 *  - activate(nowMs, nextOffset) only once the committed image covers every entry before
 *    the leader's first entry of its epoch (KRaft waits for the listener to catch up to the
 *    epoch start offset); nextOffset is the log end offset at that point;
 *  - when a proposal fails, lands at another offset, or leadership is lost: deactivate()
 *    (the pending view is dropped; Kafka reverts to the last committed snapshot the same way);
 *  - send a reply only once `offset` is committed (for a write without records, `offset` is
 *    the last offset written before it, as Kafka completes empty writes);
 *  - feed every committed image to onCommitted (MetadataStateMachine.subscribe).
 * Liveness (broker-sessions.ts) is in memory, active controller only.
 */
import { assert } from '../../lib/assert.js';
import type { Prng } from '../../lib/prng.js';
import { EMPTY_IMAGE, type MetadataImage } from '../image/image-types.js';
import { MetadataDelta } from '../image/metadata-delta.js';
import type { MetadataRecord } from '../records/record-types.js';
import {
  alterPartition, type AlterPartitionReply, type AlterPartitionRequest,
} from './alter-partition.js';
import { fenceBrokerRecords } from './broker-fencing.js';
import {
  brokerHeartbeat, type BrokerHeartbeatReply, type BrokerHeartbeatRequest,
} from './broker-heartbeat.js';
import {
  registerBroker, type BrokerRegistrationReply, type BrokerRegistrationRequest,
} from './broker-registration.js';
import { BrokerSessions } from './broker-sessions.js';
import type { ControllerConfig } from './controller-config.js';
import {
  createPartitions, type CreatePartitionsResult, type CreatePartitionsTopic,
} from './create-partitions.js';
import { createTopics, type CreatableTopic, type CreateTopicResult } from './create-topics.js';
import { deleteTopics, type DeleteTopicResult, type DeleteTopicsRequest } from './delete-topics.js';
import { apiError, ok, type ApiError, type ControllerResult } from './errors.js';
import {
  allocateProducerIds, type AllocateProducerIdsReply, type AllocateProducerIdsRequest,
} from './producer-ids.js';

export interface ControllerWrite<T> {
  /** To propose as one entry; empty when nothing changes. */
  readonly records: readonly MetadataRecord[];
  /** The entry's offset (records non-empty), else the last offset written before. */
  readonly offset: number;
  readonly reply: T;
}

export type ControllerResponse<T> =
  | ({ readonly ok: true } & ControllerWrite<T>)
  | { readonly ok: false; readonly error: ApiError };

export interface QuorumControllerOptions {
  readonly config: ControllerConfig;
  /** Topic ids and replica placement draw from it (only on the active controller). */
  readonly prng: Prng;
  /** The committed image to start from (after a snapshot load and replay). */
  readonly image?: MetadataImage;
}

export class QuorumController {
  readonly config: ControllerConfig;
  readonly #prng: Prng;
  readonly #sessions: BrokerSessions;
  #committed: MetadataImage;
  /** Invariant: #committed plus the records of the pending writes; #committed when inactive. */
  #view: MetadataImage;
  /** Offsets of written, not yet committed entries, ascending from #pendingHead. */
  #pending: number[] = [];
  #pendingHead = 0;
  #active = false;
  /** Invariant (active): greater than every pending offset and the committed offset. */
  #nextOffset = 0;

  constructor(options: QuorumControllerOptions) {
    this.config = options.config;
    this.#prng = options.prng;
    this.#sessions = new BrokerSessions(options.config.brokerSessionTimeoutMs);
    this.#committed = options.image ?? EMPTY_IMAGE;
    this.#view = this.#committed;
  }

  get isActive(): boolean {
    return this.#active;
  }

  /** The view requests are checked against (committed + pending). */
  get image(): MetadataImage {
    return this.#view;
  }

  get committedImage(): MetadataImage {
    return this.#committed;
  }

  get nextOffset(): number {
    return this.#nextOffset;
  }

  get pendingWrites(): number {
    return this.#pending.length - this.#pendingHead;
  }

  /** Every controller: the image after the latest committed batch. */
  onCommitted(image: MetadataImage): void {
    assert(image.provenance.offset >= this.#committed.provenance.offset,
      'committed images must move forward');
    this.#committed = image;
    if (!this.#active) {
      this.#view = image;
      return;
    }
    const offset = image.provenance.offset;
    const pending = this.#pending;
    while (this.#pendingHead < pending.length && pending[this.#pendingHead]! <= offset) {
      this.#pendingHead++;
    }
    if (this.#pendingHead === this.#pending.length) {
      this.#pending = [];
      this.#pendingHead = 0;
      this.#view = image;
    } else if (this.#pendingHead > 1024) {
      this.#pending = this.#pending.slice(this.#pendingHead);
      this.#pendingHead = 0;
    }
  }

  /** Become the active controller; see the ordering contract above. */
  activate(nowMs: number, nextOffset: number): void {
    assert(nextOffset > this.#committed.provenance.offset,
      `activation at ${nextOffset} is not after the committed offset`);
    this.#active = true;
    this.#nextOffset = nextOffset;
    this.#pending = [];
    this.#pendingHead = 0;
    this.#view = this.#committed;
    this.#sessions.reset(this.#committed, nowMs);
  }

  /** Stop being active: the pending view and the liveness state are dropped. */
  deactivate(): void {
    this.#active = false;
    this.#pending = [];
    this.#pendingHead = 0;
    this.#view = this.#committed;
    this.#sessions.clear();
  }

  createTopics(
    topics: readonly CreatableTopic[], validateOnly = false,
  ): ControllerResponse<readonly CreateTopicResult[]> {
    return this.#run(() => createTopics(this.#view, this.config, this.#prng, topics, validateOnly));
  }

  createPartitions(
    topics: readonly CreatePartitionsTopic[], validateOnly = false,
  ): ControllerResponse<readonly CreatePartitionsResult[]> {
    return this.#run(() =>
      createPartitions(this.#view, this.config, this.#prng, topics, validateOnly));
  }

  deleteTopics(request: DeleteTopicsRequest): ControllerResponse<readonly DeleteTopicResult[]> {
    return this.#run(() => deleteTopics(this.#view, request));
  }

  registerBroker(
    request: BrokerRegistrationRequest, nowMs: number,
  ): ControllerResponse<BrokerRegistrationReply> {
    return this.#run(() => registerBroker(
      this.#view, this.config, this.#sessions, request, nowMs, this.#nextOffset));
  }

  brokerHeartbeat(
    request: BrokerHeartbeatRequest, nowMs: number,
  ): ControllerResponse<BrokerHeartbeatReply> {
    return this.#run(() => brokerHeartbeat({
      image: this.#view,
      config: this.config,
      sessions: this.#sessions,
      nowMs,
      offset: this.#nextOffset,
      committedOffset: this.#committed.provenance.offset,
    }, request));
  }

  alterPartition(request: AlterPartitionRequest): ControllerResponse<AlterPartitionReply> {
    return this.#run(() => alterPartition(this.#view, request));
  }

  allocateProducerIds(
    request: AllocateProducerIdsRequest,
  ): ControllerResponse<AllocateProducerIdsReply> {
    return this.#run(() => allocateProducerIds(this.#view, this.config, request));
  }

  /**
   * Fences every unfenced broker whose session expired (call it on a timer, e.g. every
   * broker.heartbeat.interval.ms). One write per broker, so each election sees the brokers
   * fenced before it. The reply is the fenced broker's id.
   */
  expireSessions(nowMs: number): readonly ControllerWrite<number>[] {
    if (!this.#active) return [];
    const writes: ControllerWrite<number>[] = [];
    for (const brokerId of this.#sessions.staleBrokers(this.#view, nowMs)) {
      const response = this.#run(() =>
        ok(fenceBrokerRecords(this.#view, this.config, brokerId), brokerId));
      if (response.ok && response.records.length > 0) writes.push(response);
    }
    return writes;
  }

  /** A NoOpRecord, written when the log has been idle (metadata.max.idle.interval.ms). */
  writeNoOp(): ControllerResponse<null> {
    return this.#run(() => ok([{ type: 'NoOpRecord' }], null));
  }

  #run<T>(handler: () => ControllerResult<T>): ControllerResponse<T> {
    if (!this.#active) return notController();
    const result = handler();
    if (!result.ok) return { ok: false, error: result.error };
    if (result.records.length === 0) {
      return { ok: true, records: [], offset: this.#nextOffset - 1, reply: result.reply };
    }
    const offset = this.#nextOffset++;
    const delta = new MetadataDelta(this.#view);
    delta.replayAll(result.records);
    delta.advanceTo(offset, this.#view.provenance.epoch);
    this.#view = delta.apply();
    this.#pending.push(offset);
    return { ok: true, records: result.records, offset, reply: result.reply };
  }
}

function notController<T>(): ControllerResponse<T> {
  const message = 'This node is not the active controller.';
  return { ok: false, error: apiError('NOT_CONTROLLER', message) };
}
