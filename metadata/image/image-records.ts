/**
 * The image as records (Kafka's SnapshotGenerator / ImageWriter), for snapshots and the image
 * hash. Replaying these records into an empty image gives the same image back, so a snapshot
 * is just this list encoded like a log entry, and loading one is a replay.
 *
 * The order is canonical, independent of how the maps were built: features (metadata.version
 * first), brokers by id, the producer id block, topics by name each followed by its
 * partitions in id order, then configs by resource and name. Equal images therefore encode to
 * equal bytes, which the hash relies on. Provenance (offset, epoch) is not encoded: it comes
 * from the snapshot id when a snapshot is loaded.
 */
import { crc32c } from '../../lib/crc32c.js';
import { decodeRecords, encodeRecords } from '../records/record-codec.js';
import type { MetadataRecord } from '../records/record-types.js';
import { EMPTY_IMAGE, type MetadataImage, type Provenance } from './image-types.js';
import { MetadataDelta } from './metadata-delta.js';

const METADATA_VERSION = 'metadata.version';

function byKey(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function imageToRecords(image: MetadataImage): MetadataRecord[] {
  const records: MetadataRecord[] = [];
  const features = [...image.features.keys()].sort((a, b) =>
    a === METADATA_VERSION ? -1 : b === METADATA_VERSION ? 1 : byKey(a, b));
  for (const name of features) {
    records.push({ type: 'FeatureLevelRecord', name, featureLevel: image.features.get(name)! });
  }
  const brokers = [...image.cluster.brokers.values()].sort((a, b) => a.brokerId - b.brokerId);
  for (const broker of brokers) records.push({ type: 'RegisterBrokerRecord', ...broker });
  if (image.producerIds.nextProducerId > 0 || image.producerIds.brokerId !== -1) {
    records.push({ type: 'ProducerIdsRecord', ...image.producerIds });
  }
  const topicNames = [...image.topics.byName.keys()].sort(byKey);
  for (const name of topicNames) {
    const topic = image.topics.byName.get(name)!;
    records.push({ type: 'TopicRecord', name, topicId: topic.topicId });
    topic.partitions.forEach((p, partitionId) => {
      records.push({
        type: 'PartitionRecord', partitionId, topicId: topic.topicId, replicas: p.replicas,
        isr: p.isr, removingReplicas: p.removingReplicas, addingReplicas: p.addingReplicas,
        leader: p.leader, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
      });
    });
  }
  pushConfigRecords(image, records);
  return records;
}

function pushConfigRecords(image: MetadataImage, records: MetadataRecord[]): void {
  const resources = [...image.configs.resources.keys()].map((key) => {
    const colon = key.indexOf(':');
    return { key, resourceType: Number(key.slice(0, colon)), resourceName: key.slice(colon + 1) };
  });
  resources.sort((a, b) => a.resourceType - b.resourceType ||
    byKey(a.resourceName, b.resourceName));
  for (const { key, resourceType, resourceName } of resources) {
    const entries = image.configs.resources.get(key)!;
    for (const name of [...entries.keys()].sort(byKey)) {
      const value = entries.get(name)!;
      records.push({ type: 'ConfigRecord', resourceType, resourceName, name, value });
    }
  }
}

/** Snapshot bytes: the image's records in one batch. */
export function encodeImage(image: MetadataImage): Uint8Array {
  return encodeRecords(imageToRecords(image));
}

export type LoadSnapshotResult =
  | { readonly ok: true; readonly delta: MetadataDelta; readonly image: MetadataImage }
  | { readonly ok: false; readonly error: string };

/**
 * Loads snapshot bytes on top of `base`: the delta says what changed relative to `base`
 * (what a broker must start, stop or delete), the image is exactly the snapshot's state.
 */
export function loadSnapshot(
  base: MetadataImage, bytes: Uint8Array, provenance: Provenance,
): LoadSnapshotResult {
  const decoded = decodeRecords(bytes);
  if (!decoded.ok) return decoded;
  const delta = new MetadataDelta(base, 'snapshot');
  delta.replayAll(decoded.records);
  delta.advanceTo(provenance.offset, provenance.epoch);
  return { ok: true, delta, image: delta.apply() };
}

export type DecodeImageResult =
  | { readonly ok: true; readonly image: MetadataImage }
  | { readonly ok: false; readonly error: string };

/** Snapshot bytes back to an image (from scratch); the error when they are corrupt. */
export function decodeImage(bytes: Uint8Array, provenance: Provenance): DecodeImageResult {
  const loaded = loadSnapshot(EMPTY_IMAGE, bytes, provenance);
  return loaded.ok ? { ok: true, image: loaded.image } : loaded;
}

/**
 * A CRC-32C over the canonical encoding: equal images have equal hashes whatever order their
 * maps were built in. Costs one encoding of the whole image, O(size of the image).
 */
export function imageHash(image: MetadataImage): number {
  return crc32c(encodeImage(image));
}
