/**
 * Configuration changes folded from ConfigRecords (Kafka's ConfigurationsDelta). A null value
 * deletes the entry; removing a topic clears its resource, as Kafka's MetadataDelta does when
 * it replays a RemoveTopicRecord.
 */
import type { ConfigRecord } from '../records/record-types.js';
import { configResourceKey, type ConfigsImage } from './image-types.js';

interface ResourceChange {
  /** Start from no entries instead of the base image's. */
  clear: boolean;
  readonly entries: Map<string, string | null>;
}

export class ConfigsDelta {
  readonly #changes = new Map<string, ResourceChange>();

  constructor(readonly image: ConfigsImage) {}

  /** Keys (configResourceKey) of the resources this delta touches. */
  get changedResources(): ReadonlySet<string> {
    return new Set(this.#changes.keys());
  }

  replay(record: ConfigRecord): void {
    this.#change(configResourceKey(record.resourceType, record.resourceName))
      .entries.set(record.name, record.value);
  }

  clearResource(resourceType: number, resourceName: string): void {
    const change = this.#change(configResourceKey(resourceType, resourceName));
    change.clear = true;
    change.entries.clear();
  }

  /** For a snapshot load: every entry is gone unless the snapshot sets it. */
  markAllDeleted(): void {
    for (const key of this.image.resources.keys()) {
      this.#changes.set(key, { clear: true, entries: new Map() });
    }
  }

  apply(): ConfigsImage {
    if (this.#changes.size === 0) return this.image;
    let resources = this.image.resources;
    for (const [key, change] of this.#changes) {
      const merged = new Map(change.clear ? [] : resources.get(key) ?? []);
      for (const [name, value] of change.entries) {
        if (value === null) merged.delete(name);
        else merged.set(name, value);
      }
      resources = merged.size === 0 ? resources.delete(key) : resources.set(key, merged);
    }
    return { resources };
  }

  #change(key: string): ResourceChange {
    let change = this.#changes.get(key);
    if (change === undefined) {
      change = { clear: false, entries: new Map() };
      this.#changes.set(key, change);
    }
    return change;
  }
}
