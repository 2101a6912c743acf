/**
 * Running the user's handler over one partition's part of a fetch answer, moving the position
 * as messages are handled. The delivery stops before its next message when the partition is
 * sought (generation changed), paused, unassigned or the run ends; the position then stays at
 * the first unhandled message.
 */
import type { PartitionState } from './state.js';
import type { Batch, ConsumerRunConfig, KafkaMessage } from './types.js';

export interface Delivery {
  readonly state: PartitionState;
  readonly generation: number;
  readonly messages: readonly KafkaMessage[];
  /** Past the last batch of the answer (skips records a compacted batch lacks). */
  readonly nextOffset: number | undefined;
  readonly highWatermark: number;
}

export interface DeliveryHost {
  isCurrent(runId: number): boolean;
  isAssigned(state: PartitionState): boolean;
  handlerFailed(state: PartitionState, error: unknown): void;
  pauseOne(state: PartitionState): () => void;
}

const heartbeat = async (): Promise<void> => undefined;

export async function deliver(host: DeliveryHost, config: ConsumerRunConfig, runId: number,
  delivery: Delivery): Promise<void> {
  const { state, generation } = delivery;
  const live = () => host.isCurrent(runId) && state.generation === generation && !state.paused &&
    host.isAssigned(state);
  const advance = (offset: number) => {
    if (state.generation === generation && (state.position ?? -1) < offset) {
      state.position = offset;
    }
  };
  const pause = () => host.pauseOne(state);
  if (!live()) return;
  if (config.eachBatch !== undefined) {
    let resolved: number | undefined;
    try {
      await config.eachBatch({
        batch: batchOf(delivery), resolveOffset: (offset) => { resolved = Number(offset); },
        heartbeat, pause, commitOffsetsIfNecessary: heartbeat,
        uncommittedOffsets: () => ({ topics: [] }), isRunning: () => host.isCurrent(runId),
        isStale: () => !live(),
      });
    } catch (error) {
      if (resolved !== undefined) advance(resolved + 1);
      host.handlerFailed(state, error);
      return;
    }
    if (config.eachBatchAutoResolve ?? true) advance(endOf(delivery));
    else if (resolved !== undefined) advance(resolved + 1);
    state.handlerFailures = 0;
    return;
  }
  const eachMessage = config.eachMessage!;
  for (const message of delivery.messages) {
    if (!live()) return;
    try {
      await eachMessage({ topic: state.topic, partition: state.partition, message, heartbeat,
        pause });
    } catch (error) {
      host.handlerFailed(state, error);
      return;
    }
    advance(Number(message.offset) + 1);
  }
  advance(endOf(delivery));
  state.handlerFailures = 0;
}

function endOf(delivery: Delivery): number {
  const last = delivery.messages[delivery.messages.length - 1];
  const afterLast = last === undefined ? -1 : Number(last.offset) + 1;
  return Math.max(afterLast, delivery.nextOffset ?? -1);
}

function batchOf(delivery: Delivery): Batch {
  const { state, messages, highWatermark } = delivery;
  const first = messages[0];
  const last = messages[messages.length - 1];
  const lastOffset = last === undefined ? highWatermark - 1 : Number(last.offset);
  return {
    topic: state.topic, partition: state.partition, highWatermark: String(highWatermark),
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => first?.offset ?? null,
    lastOffset: () => String(lastOffset),
    offsetLag: () => String(Math.max(0, highWatermark - 1 - lastOffset)),
    offsetLagLow: () => String(Math.max(0,
      highWatermark - 1 - (first === undefined ? lastOffset : Number(first.offset)))),
  };
}
