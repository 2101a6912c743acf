/**
 * ISR changes asked of the controller by a partition leader (Kafka's Partition.maybeExpandIsr,
 * maybeShrinkIsr and the AlterPartitionManager).
 *
 * - Expand: a follower that has reached the high watermark and fetches in the current leader
 *   epoch (its log end >= the epoch's start offset, KIP-101) joins, if the image says its broker
 *   may be in the ISR: registered, unfenced, not shutting down, and fetching with its current
 *   broker epoch (KIP-903; research D8).
 * - Shrink: ISR followers not caught up within replica.lag.time.max.ms leave; the leader stays.
 *
 * One AlterPartition in flight per partition, recorded as `pending`: the high watermark counts
 * the maximal ISR meanwhile (research D11). A success applies the returned ISR if it is newer
 * than what metadata brought; a retriable failure is sent again after a pause; any other
 * (fenced leader epoch, stale partition epoch, ineligible replica) drops the pending change and
 * waits for metadata. A committed change from metadata also clears `pending`, so a late reply
 * to an older request is ignored.
 */
import { AssertionFailure } from '../../lib/assert.js';
import type {
  AlterPartitionReply, AlterPartitionRequest, MetadataImage,
} from '../../metadata/index.js';
import { ControllerApi, type ControllerReply } from '../../protocol/controller/index.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { ALTER_PARTITION_RETRY_BACKOFF_MS, ALTER_PARTITION_TIMEOUT_MS } from './limits.js';
import {
  applyAlteredIsr, isCaughtUp, maximalIsr, Role, setPendingIsr, type Partition, type PendingIsr,
} from './partition.js';

/** The part of ControllerChannel this file uses (tests answer it themselves). */
export interface AlterPartitionChannel {
  call(api: typeof ControllerApi.alterPartition, request: AlterPartitionRequest,
    timeoutMs: number): Promise<ControllerReply<AlterPartitionReply>>;
}

export interface IsrContext {
  readonly brokerId: number;
  readonly brokerEpoch: () => number;
  readonly channel: AlterPartitionChannel;
  readonly image: () => MetadataImage;
  readonly nowMs: () => number;
  readonly replicaLagTimeMaxMs: number;
  readonly log: (line: string) => void;
  /** Whether `p` is still this broker's live replica (not stopped or replaced). */
  readonly isCurrent: (p: Partition) => boolean;
  /** The ISR or the pending change moved: re-check the high watermark and parked produces. */
  readonly onIsrChanged: (p: Partition) => void;
}

export class IsrUpdater {
  readonly #context: IsrContext;
  readonly #retries = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(context: IsrContext) {
    this.#context = context;
  }

  maybeExpand(p: Partition, followerId: number): void {
    if (p.role !== Role.leader || p.pending !== undefined || p.log === undefined) return;
    if (!p.replicas.includes(followerId) || maximalIsr(p).includes(followerId)) return;
    const f = p.followers.get(followerId);
    if (f === undefined) return;
    if (f.logEndOffset < p.highWatermark || f.logEndOffset < p.leaderEpochStartOffset) return;
    const registration = this.#context.image().cluster.brokers.get(followerId);
    if (registration === undefined || registration.fenced || registration.inControlledShutdown ||
      registration.brokerEpoch !== f.brokerEpoch) return;
    this.#submit(p, { kind: 'expand', isr: [...p.isr, followerId] });
  }

  maybeShrink(p: Partition): void {
    if (p.role !== Role.leader || p.pending !== undefined || p.log === undefined) return;
    const { brokerId, replicaLagTimeMaxMs } = this.#context;
    const nowMs = this.#context.nowMs();
    const leaderEnd = p.log.logEndOffset;
    const lagging = p.isr.filter((id) => {
      if (id === brokerId) return false;
      const f = p.followers.get(id);
      return f === undefined || !isCaughtUp(f, leaderEnd, nowMs, replicaLagTimeMaxMs);
    });
    if (lagging.length === 0) return;
    this.#context.log(`Shrinking the ISR of ${p.key} from ${p.isr.join(',')}: ` +
      `${lagging.join(',')} not caught up within ${replicaLagTimeMaxMs} ms`);
    this.#submit(p, { kind: 'shrink', isr: p.isr.filter((id) => !lagging.includes(id)) });
  }

  #submit(p: Partition, pending: PendingIsr): void {
    setPendingIsr(p, pending);
    this.#send(p, pending);
  }

  #send(p: Partition, pending: PendingIsr): void {
    const request: AlterPartitionRequest = {
      brokerId: this.#context.brokerId, brokerEpoch: this.#context.brokerEpoch(),
      topicId: p.topicId, partitionId: p.partitionId, leaderEpoch: p.leaderEpoch,
      partitionEpoch: p.partitionEpoch, newIsr: pending.isr,
    };
    this.#context.channel
      .call(ControllerApi.alterPartition, request, ALTER_PARTITION_TIMEOUT_MS)
      .then((reply) => this.#onReply(p, pending, request, reply), (error: unknown) => {
        if (error instanceof AssertionFailure) throw error;
        this.#onReply(p, pending, request, {
          error: 'UNKNOWN_SERVER_ERROR', errorCode: -1, retriable: true, leaderId: -1,
          message: (error as Error).message,
        });
      });
  }

  #onReply(
    p: Partition, pending: PendingIsr, request: AlterPartitionRequest,
    reply: ControllerReply<AlterPartitionReply>,
  ): void {
    if (this.#closed || p.pending !== pending || !this.#context.isCurrent(p) ||
      p.role !== Role.leader || p.leaderEpoch !== request.leaderEpoch) return;
    if (reply.errorCode === ErrorCode.NONE) {
      setPendingIsr(p, undefined);
      if (reply.isr !== undefined && reply.partitionEpoch !== undefined &&
        reply.leaderEpoch === p.leaderEpoch && reply.partitionEpoch > p.partitionEpoch) {
        applyAlteredIsr(p, reply.isr, reply.partitionEpoch);
      }
      this.#context.onIsrChanged(p);
      return;
    }
    if (reply.retriable) {
      const timer = setTimeout(() => {
        this.#retries.delete(timer);
        if (!this.#closed && p.pending === pending && this.#context.isCurrent(p)) {
          this.#send(p, pending);
        }
      }, ALTER_PARTITION_RETRY_BACKOFF_MS);
      this.#retries.add(timer);
      return;
    }
    this.#context.log(`AlterPartition for ${p.key} (ISR ${pending.isr.join(',')}) failed: ` +
      `${reply.error} ${reply.message}; waiting for metadata`);
    setPendingIsr(p, undefined);
    this.#context.onIsrChanged(p);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
  }
}
