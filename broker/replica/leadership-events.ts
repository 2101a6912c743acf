/**
 * Per-partition leadership events of the data plane, for what runs on top of it: the group and
 * transaction coordinators load a partition of their internal topic when this broker becomes
 * its leader and unload it when the broker stops leading it (Kafka's
 * ReplicaManager.onLeadershipChange, GroupCoordinator.onElection and onResignation).
 *
 * The events follow the roles exactly: becameLeader and becameFollower fire when the leader
 * epoch or the leader moves, never for an ISR or replica-set change under the same leader
 * epoch; stopped fires when the replica is no longer hosted here (its topic deleted or
 * re-created, or the replica moved away: `deleted` then says the log files were removed). A
 * listener added later first hears the current role of every hosted partition. Nothing fires
 * at close: what sits on top shuts down before the data plane, as in Kafka's
 * BrokerServer.shutdown. Events run synchronously inside the metadata update, after the
 * partition's new state is complete; a listener with slow work (loading a coordinator
 * partition) starts it and returns.
 */
import { AssertionFailure } from '../../lib/assert.js';
import { Role, type Partition } from './partition.js';

export interface TopicPartition {
  readonly topicName: string;
  readonly partitionId: number;
}

export interface PartitionLeadershipListener {
  becameLeader?(partition: TopicPartition, leaderEpoch: number): void;
  /** `leaderId` is -1 when the partition has no leader. */
  becameFollower?(partition: TopicPartition, leaderEpoch: number, leaderId: number): void;
  stopped?(partition: TopicPartition, deleted: boolean): void;
}

export class LeadershipEvents {
  readonly #listeners = new Set<PartitionLeadershipListener>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  /** Adds `listener`, tells it the current roles, and returns what removes it. */
  add(listener: PartitionLeadershipListener, hosted: Iterable<Partition>): () => void {
    this.#listeners.add(listener);
    for (const p of hosted) {
      if (p.stopped || p.leaderEpoch < 0) continue;
      if (p.role === Role.leader) this.#call(listener, 'becameLeader', p);
      else this.#call(listener, 'becameFollower', p);
    }
    return () => {
      this.#listeners.delete(listener);
    };
  }

  becameLeader(p: Partition): void {
    for (const listener of this.#listeners) this.#call(listener, 'becameLeader', p);
  }

  becameFollower(p: Partition): void {
    for (const listener of this.#listeners) this.#call(listener, 'becameFollower', p);
  }

  stopped(p: Partition, deleted: boolean): void {
    for (const listener of this.#listeners) this.#call(listener, 'stopped', p, deleted);
  }

  #call(
    listener: PartitionLeadershipListener, event: keyof PartitionLeadershipListener,
    p: Partition, deleted = false,
  ): void {
    const partition: TopicPartition = { topicName: p.topicName, partitionId: p.partitionId };
    try {
      if (event === 'becameLeader') listener.becameLeader?.(partition, p.leaderEpoch);
      else if (event === 'becameFollower') {
        listener.becameFollower?.(partition, p.leaderEpoch, p.leaderId);
      } else listener.stopped?.(partition, deleted);
    } catch (error) {
      // A bug in a listener must not leave the metadata update half applied; a failed assert
      // still crashes the broker.
      if (error instanceof AssertionFailure) throw error;
      this.#log(`A leadership listener failed on ${p.key}: ${(error as Error).message}`);
    }
  }
}
