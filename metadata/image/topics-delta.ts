/**
 * Topic and partition changes folded from records (Kafka's TopicsDelta and TopicDelta).
 * Reads see the delta first and the base image second, so later records of the same delta
 * build on earlier ones (a PartitionRecord right after its TopicRecord, a topic deleted and
 * created again under the same name).
 *
 * Ordering rule of apply(): deletions first, then creations and changes, so that a name
 * freed and taken again in one delta ends up naming the new topic.
 */
import { assert } from '../../lib/assert.js';
import { check } from '../../lib/check.js';
import type {
  PartitionChangeRecord, PartitionRecord, RemoveTopicRecord, TopicRecord,
} from '../records/record-types.js';
import {
  collisionName, type PartitionRegistration, type TopicImage, type TopicsImage,
} from './image-types.js';
import { mergePartitionChange, partitionFromRecord } from './partition.js';
import type { PersistentMap } from './persistent-map.js';

export class TopicDelta {
  /** Changed or created partitions by id. */
  readonly changes = new Map<number, PartitionRegistration>();
  /** Invariant: base partitions plus the partitions created here, ids dense from 0. */
  #count: number;

  /** `base` is undefined when the topic is created in this delta. */
  constructor(
    readonly base: TopicImage | undefined,
    readonly name: string,
    readonly topicId: string,
  ) {
    this.#count = base?.partitions.length ?? 0;
  }

  get partitionCount(): number {
    return this.#count;
  }

  partition(partitionId: number): PartitionRegistration | undefined {
    return this.changes.get(partitionId) ?? this.base?.partitions[partitionId];
  }

  replayPartition(record: PartitionRecord): void {
    const id = record.partitionId;
    check(id <= this.#count, () => `PartitionRecord ${this.name}-${id} leaves a gap`);
    const previous = this.partition(id);
    const partition = partitionFromRecord(record);
    if (previous !== undefined) {
      check(
        partition.leaderEpoch >= previous.leaderEpoch &&
          partition.partitionEpoch >= previous.partitionEpoch,
        () => `PartitionRecord ${this.name}-${id} moves its epochs backwards`,
      );
    }
    this.changes.set(id, partition);
    if (id === this.#count) this.#count++;
  }

  replayChange(record: PartitionChangeRecord): void {
    const previous = this.partition(record.partitionId);
    check(previous !== undefined,
      () => `PartitionChangeRecord for unknown partition ${this.name}-${record.partitionId}`);
    this.changes.set(record.partitionId, mergePartitionChange(previous, record));
  }

  apply(): TopicImage {
    if (this.changes.size === 0 && this.base !== undefined) return this.base;
    const partitions = this.base === undefined ? [] : this.base.partitions.slice();
    for (const [id, partition] of this.changes) partitions[id] = partition;
    check(partitions.length === this.#count && partitions.length > 0,
      () => `topic ${this.name} would have ${partitions.length} partitions`);
    return { name: this.name, topicId: this.topicId, partitions };
  }
}

export class TopicsDelta {
  /** Topics created or changed in this delta, by id. */
  readonly #changed = new Map<string, TopicDelta>();
  /** Topics of the base image removed in this delta, by id. */
  readonly #deleted = new Map<string, TopicImage>();
  /** Names of the topics created in this delta (and not removed again). */
  readonly #createdByName = new Map<string, string>();

  constructor(readonly image: TopicsImage) {}

  get changedTopics(): ReadonlyMap<string, TopicDelta> {
    return this.#changed;
  }

  /** Topics of the base image that were removed; one re-created with the same id is in both. */
  get deletedTopics(): ReadonlyMap<string, TopicImage> {
    return this.#deleted;
  }

  get isEmpty(): boolean {
    return this.#changed.size === 0 && this.#deleted.size === 0;
  }

  /** The id of the live topic with that name after the records replayed so far. */
  topicIdByName(name: string): string | undefined {
    const created = this.#createdByName.get(name);
    if (created !== undefined) return created;
    const base = this.image.byName.get(name);
    return base === undefined || this.#deleted.has(base.topicId) ? undefined : base.topicId;
  }

  replayTopic(record: TopicRecord): void {
    check(this.topicIdByName(record.name) === undefined, () => `topic ${record.name} exists`);
    check(this.#live(record.topicId) === undefined, () => `topic id ${record.topicId} exists`);
    this.#changed.set(record.topicId, new TopicDelta(undefined, record.name, record.topicId));
    this.#createdByName.set(record.name, record.topicId);
  }

  replayPartition(record: PartitionRecord): void {
    this.#topicDelta(record.topicId).replayPartition(record);
  }

  replayPartitionChange(record: PartitionChangeRecord): void {
    this.#topicDelta(record.topicId).replayChange(record);
  }

  /** Returns the removed topic's name (its configs go with it). */
  replayRemoveTopic(record: RemoveTopicRecord): string {
    const id = record.topicId;
    const changed = this.#changed.get(id);
    if (changed !== undefined) {
      this.#changed.delete(id);
      if (changed.base === undefined) this.#createdByName.delete(changed.name);
      else this.#deleted.set(id, changed.base);
      return changed.name;
    }
    const base = this.image.byId.get(id);
    check(base !== undefined && !this.#deleted.has(id),
      () => `RemoveTopicRecord for unknown topic ${id}`);
    this.#deleted.set(id, base);
    return base.name;
  }

  /** For a snapshot load: everything in the base image is gone unless the snapshot has it. */
  markAllDeleted(): void {
    assert(this.isEmpty, 'markAllDeleted on a delta that already has changes');
    for (const [id, topic] of this.image.byId) this.#deleted.set(id, topic);
  }

  apply(): TopicsImage {
    if (this.isEmpty) return this.image;
    let { byId, byName, byCollisionName } = this.image;
    for (const [id, topic] of this.#deleted) {
      byId = byId.delete(id);
      byName = byName.delete(topic.name);
      byCollisionName = withoutCollision(byCollisionName, topic.name);
    }
    for (const [id, delta] of this.#changed) {
      const topic = delta.apply();
      byId = byId.set(id, topic);
      byName = byName.set(topic.name, topic);
      if (delta.base === undefined) byCollisionName = withCollision(byCollisionName, topic.name);
    }
    return { byId, byName, byCollisionName };
  }

  #live(topicId: string): TopicDelta | TopicImage | undefined {
    const changed = this.#changed.get(topicId);
    if (changed !== undefined) return changed;
    return this.#deleted.has(topicId) ? undefined : this.image.byId.get(topicId);
  }

  #topicDelta(topicId: string): TopicDelta {
    const live = this.#live(topicId);
    check(live !== undefined, () => `partition record for unknown topic ${topicId}`);
    if (live instanceof TopicDelta) return live;
    const delta = new TopicDelta(live, live.name, topicId);
    this.#changed.set(topicId, delta);
    return delta;
  }
}

type CollisionIndex = PersistentMap<string, readonly string[]>;

function withCollision(index: CollisionIndex, name: string): CollisionIndex {
  const key = collisionName(name);
  if (key === undefined) return index;
  return index.set(key, [...(index.get(key) ?? []), name]);
}

function withoutCollision(index: CollisionIndex, name: string): CollisionIndex {
  const key = collisionName(name);
  if (key === undefined) return index;
  const rest = (index.get(key) ?? []).filter((n) => n !== name);
  return rest.length === 0 ? index.delete(key) : index.set(key, rest);
}
