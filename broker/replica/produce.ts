/**
 * Produce on the leader (Kafka's ReplicaManager.appendRecords + DelayedProduce).
 *
 * Per partition: the leader lookup, the batch check (nothing is appended unless every batch
 * passes), min.insync.replicas for acks=-1 (NOT_ENOUGH_REPLICAS before appending), then
 * appendAsLeader, which stamps offsets and the leader epoch into the producer's bytes and
 * stores them as they are. acks=0 and 1 answer after the append (acks=0 with no frame at all);
 * acks=-1 parks until the high watermark passes the last appended offset, the ISR falls under
 * min.insync.replicas (NOT_ENOUGH_REPLICAS_AFTER_APPEND), leadership is lost
 * (NOT_LEADER_OR_FOLLOWER) or timeoutMs passes (REQUEST_TIMED_OUT).
 *
 * The broker's own appends (the coordinators writing their internal topics) take the same path
 * through ProduceHandler.append, with a result for every acks.
 *
 * Ordering: appends of one request happen in one event-loop turn. While any request waits for
 * a log to open, later requests queue behind it, so that two requests in flight on one
 * connection reach each partition in the order they were sent.
 */
import { AssertionFailure } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import {
  Acks, ErrorCode, type ProducePartitionData, type ProducePartitionResponse, type ProduceRequest,
  type ProduceResponse,
} from '../../protocol/index.js';
import { checkProducedBatches } from './batch-validation.js';
import { Role, type Partition } from './partition.js';
import type { DelayedOperation } from './purgatory.js';
import { lookupLeader, type ReplicaContext } from './replica-context.js';

interface ProduceWait {
  readonly partition: Partition;
  /** The high watermark that acknowledges the append: its last offset + 1. */
  readonly requiredOffset: number;
  readonly result: ProducePartitionResponse;
  done: boolean;
}

class DelayedProduce implements DelayedOperation {
  readonly keys: readonly string[];
  /** Invariant: the request is answered once (the purgatory completes an operation once). */
  #answered = false;

  constructor(
    private readonly waits: readonly ProduceWait[],
    private readonly judge: (wait: ProduceWait) => number | undefined,
    private readonly finish: () => void,
  ) {
    this.keys = [...new Set(waits.map((w) => w.partition.key))];
  }

  tryComplete(): boolean {
    let open = 0;
    for (const wait of this.waits) {
      if (wait.done) continue;
      const errorCode = this.judge(wait);
      if (errorCode === undefined) {
        open++;
        continue;
      }
      wait.result.errorCode = errorCode;
      wait.done = true;
    }
    if (open > 0) return false;
    this.#answer();
    return true;
  }

  forceComplete(): void {
    for (const wait of this.waits) {
      if (wait.done) continue;
      wait.result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
      wait.result.errorMessage = 'The in-sync replicas did not acknowledge in time.';
      wait.done = true;
    }
    this.#answer();
  }

  #answer(): void {
    check(!this.#answered, 'a delayed produce answered twice');
    this.#answered = true;
    this.finish();
  }
}

export function errorResult(
  partitionIndex: number, errorCode: number, errorMessage: string | null = null,
): ProducePartitionResponse {
  return { partitionIndex, errorCode, errorMessage, baseOffset: -1, logAppendTimeMs: -1,
    logStartOffset: -1 };
}

/** The partitions of an append and their batches: a Produce request's `topics`. */
export type AppendTopics = ProduceRequest['topics'];

export interface AppendOptions {
  /** Kafka's acks: 0 and 1 complete after the leader's append, -1 once the ISR holds it. */
  readonly acks: ProduceRequest['acks'];
  /** With acks=-1: how long to wait for the in-sync replicas before REQUEST_TIMED_OUT. */
  readonly timeoutMs: number;
}

export class ProduceHandler {
  readonly #context: ReplicaContext;
  /** Requests waiting for logs to open, in arrival order. */
  #queued = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(context: ReplicaContext) {
    this.#context = context;
  }

  /** A Produce request from the wire; undefined for acks=0, which gets no response at all. */
  handle(request: ProduceRequest): Promise<ProduceResponse | undefined> {
    const appended = this.append(request.topics, request);
    return request.acks === Acks.none ? appended.then(() => undefined) : appended;
  }

  /**
   * Appends to partitions this broker leads (Kafka's ReplicaManager.appendRecords): the wire's
   * Produce requests and the broker's own writes (the coordinators' internal topics) both come
   * here, so they share the checks, the ordering and the acks=-1 wait. Resolves with the
   * result of every partition, whatever acks is.
   */
  append(topics: AppendTopics, options: AppendOptions): Promise<ProduceResponse> {
    if (this.#queued === 0 && this.#closedLogs(topics).length === 0) {
      return this.#appendAll(topics, options);
    }
    this.#queued++;
    const run = this.#chain.then(async () => {
      await Promise.all(this.#closedLogs(topics).map((p) => this.#context.logs.open(p)));
      // Wrapped, so that the chain waits for the append but not for the acks=-1 wait.
      return { answer: this.#appendAll(topics, options) };
    }).finally(() => {
      this.#queued--;
    });
    this.#chain = run.then(() => undefined);
    return run.then(({ answer }) => answer);
  }

  /** Led partitions of the append whose log is not open yet. */
  #closedLogs(topics: AppendTopics): Partition[] {
    const closed: Partition[] = [];
    for (const topic of topics) {
      for (const data of topic.partitions) {
        const lookup = lookupLeader(this.#context, topic.name, data.partitionIndex, -1);
        if (lookup.ok && lookup.partition.log === undefined) closed.push(lookup.partition);
      }
    }
    return closed;
  }

  #appendAll(topics: AppendTopics, options: AppendOptions): Promise<ProduceResponse> {
    const waits: ProduceWait[] = [];
    const { acks } = options;
    const refuse = acks === Acks.all && this.#context.produces.full;
    const response: ProduceResponse = {
      throttleTimeMs: 0,
      topics: topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((data) => refuse
          ? errorResult(data.partitionIndex, ErrorCode.REQUEST_TIMED_OUT,
            'Too many produce requests are waiting for replication; retry later.')
          : this.#appendPartition(topic.name, data, acks, waits)),
      })),
    };
    if (waits.length === 0) return Promise.resolve(response);
    return new Promise((resolve) => {
      const operation = new DelayedProduce(waits, (wait) => this.#judge(wait),
        () => resolve(response));
      if (operation.tryComplete()) return;
      if (!this.#context.produces.park(operation, options.timeoutMs)) operation.forceComplete();
    });
  }

  #appendPartition(
    topicName: string, data: ProducePartitionData, acks: number, waits: ProduceWait[],
  ): ProducePartitionResponse {
    const index = data.partitionIndex;
    const lookup = lookupLeader(this.#context, topicName, index, -1);
    if (!lookup.ok) {
      const result = errorResult(index, lookup.errorCode);
      return lookup.currentLeader === undefined ? result
        : { ...result, currentLeader: lookup.currentLeader };
    }
    const p = lookup.partition;
    const log = p.log;
    if (log === undefined) {
      return errorResult(index, ErrorCode.KAFKA_STORAGE_ERROR, `The log of ${p.key} is offline.`);
    }
    const settings = this.#context.settings.settings(topicName);
    const check = checkProducedBatches(data.records, settings.maxMessageBytes,
      log.config.segmentBytes);
    if (!check.ok) return errorResult(index, check.errorCode, check.message);
    if (acks === Acks.all && p.isr.length < settings.minInSyncReplicas) {
      return errorResult(index, ErrorCode.NOT_ENOUGH_REPLICAS, `The ISR of ${p.key} has ` +
        `${p.isr.length} members, fewer than min.insync.replicas=${settings.minInSyncReplicas}.`);
    }
    let info;
    try {
      info = log.appendAsLeader(data.records, p.leaderEpoch);
    } catch (error) {
      if (error instanceof AssertionFailure) throw error;
      return errorResult(index, ErrorCode.KAFKA_STORAGE_ERROR, (error as Error).message);
    }
    this.#context.afterLeaderAppend(p);
    const result: ProducePartitionResponse = {
      partitionIndex: index, errorCode: ErrorCode.NONE, errorMessage: null,
      baseOffset: info.baseOffset,
      logAppendTimeMs: settings.logAppendTime ? info.appendTimeMs : -1,
      logStartOffset: log.logStartOffset,
    };
    if (acks === Acks.all && p.highWatermark <= info.lastOffset) {
      waits.push({ partition: p, requiredOffset: info.lastOffset + 1, result, done: false });
    }
    return result;
  }

  /** Kafka's checkEnoughReplicasReachOffset, plus leadership; undefined = keep waiting. */
  #judge(wait: ProduceWait): number | undefined {
    const p = wait.partition;
    if (p.stopped || p.role !== Role.leader) {
      wait.result.errorMessage = `This broker no longer leads ${p.key}.`;
      return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    }
    if (p.highWatermark >= wait.requiredOffset) return ErrorCode.NONE;
    const { minInSyncReplicas } = this.#context.settings.settings(p.topicName);
    if (p.isr.length < minInSyncReplicas) {
      wait.result.errorMessage = `The ISR of ${p.key} shrank below ` +
        `min.insync.replicas=${minInSyncReplicas} before the records were replicated.`;
      return ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }
    return undefined;
  }
}
