/**
 * The consumer's assigned partitions and their state, keyed by topic and partition.
 */
import { RaftkaError } from '../errors.js';
import { newPartitionState } from './state.js';
import type { PartitionState } from './state.js';
import type { TopicPartitions, TopicPartitionsPause } from './types.js';

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class Assignment {
  private readonly states = new Map<string, PartitionState>();

  find(topic: string, partition: number): PartitionState | undefined {
    return this.states.get(keyOf(topic, partition));
  }

  /** The state of an assigned partition; throws for one that is not assigned. */
  get(topic: string, partition: number): PartitionState {
    const state = this.find(topic, partition);
    if (state === undefined) {
      throw new RaftkaError(`Partition ${topic}-${partition} is not assigned to this consumer`);
    }
    return state;
  }

  has(state: PartitionState): boolean {
    return this.find(state.topic, state.partition) === state;
  }

  values(): IterableIterator<PartitionState> {
    return this.states.values();
  }

  topics(): string[] {
    return [...new Set([...this.states.values()].map((s) => s.topic))];
  }

  /** Replaces the assignment; kept partitions keep their state, new ones start at `reset`. */
  replace(topicPartitions: readonly TopicPartitions[], reset: 'earliest' | 'latest'): void {
    const next = new Map<string, PartitionState>();
    for (const { topic, partitions } of topicPartitions) {
      if (typeof topic !== 'string' || topic === '') throw new RaftkaError('Invalid topic');
      for (const partition of partitions) {
        if (!Number.isInteger(partition) || partition < 0) {
          throw new RaftkaError(`Invalid partition ${String(partition)} of topic ${topic}`);
        }
        const key = keyOf(topic, partition);
        next.set(key, this.states.get(key) ?? newPartitionState(topic, partition, reset));
      }
    }
    this.states.clear();
    for (const [key, state] of next) this.states.set(key, state);
  }

  /** The assigned partitions that `topicPartitions` names (all of a topic without a list). */
  select(topicPartitions: readonly TopicPartitionsPause[]): PartitionState[] {
    const out: PartitionState[] = [];
    for (const { topic, partitions } of topicPartitions) {
      for (const state of this.states.values()) {
        if (state.topic === topic &&
          (partitions === undefined || partitions.includes(state.partition))) out.push(state);
      }
    }
    return out;
  }

  list(filter: (state: PartitionState) => boolean = () => true): TopicPartitions[] {
    const byName = new Map<string, number[]>();
    for (const state of this.states.values()) {
      if (!filter(state)) continue;
      const list = byName.get(state.topic) ?? [];
      list.push(state.partition);
      byName.set(state.topic, list);
    }
    return [...byName].map(([topic, partitions]) => ({ topic, partitions }));
  }
}
