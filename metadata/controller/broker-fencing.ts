/**
 * The records of broker state transitions (Kafka's handleBrokerFenced, handleBrokerUnfenced
 * and handleBrokerInControlledShutdown): partition changes first, computed against the image
 * before the transition, then the registration change. Each list is one entry.
 */
import { assert } from '../../lib/assert.js';
import type { MetadataImage } from '../image/image-types.js';
import {
  ControlledShutdownChange, FencingChange, NO_LEADER, type MetadataRecord,
} from '../records/record-types.js';
import type { ControllerConfig } from './controller-config.js';
import { brokerRemovalChanges, brokerReturnChanges } from './partition-changes.js';

function registration(image: MetadataImage, brokerId: number) {
  const broker = image.cluster.brokers.get(brokerId);
  assert(broker !== undefined, `broker ${brokerId} is not registered`);
  return broker;
}

/** Fence: out of every ISR, leaderships moved or taken offline, then fenced=1. */
export function fenceBrokerRecords(
  image: MetadataImage, config: ControllerConfig, brokerId: number,
): MetadataRecord[] {
  const broker = registration(image, brokerId);
  const records: MetadataRecord[] = brokerRemovalChanges(image, config, brokerId);
  if (!broker.fenced) {
    records.push({
      type: 'BrokerRegistrationChangeRecord',
      brokerId,
      brokerEpoch: broker.brokerEpoch,
      fenced: FencingChange.fence,
      inControlledShutdown: ControlledShutdownChange.none,
    });
  }
  return records;
}

/** Unfence: fenced=-1, then the broker leads the offline partitions it may lead. */
export function unfenceBrokerRecords(
  image: MetadataImage, config: ControllerConfig, brokerId: number,
): MetadataRecord[] {
  const broker = registration(image, brokerId);
  return [
    {
      type: 'BrokerRegistrationChangeRecord',
      brokerId,
      brokerEpoch: broker.brokerEpoch,
      fenced: FencingChange.unfence,
      inControlledShutdown: ControlledShutdownChange.none,
    },
    ...brokerReturnChanges(image, config, brokerId),
  ];
}

/** Controlled shutdown: out of every ISR with leaderships moved, then inControlledShutdown. */
export function controlledShutdownRecords(
  image: MetadataImage, config: ControllerConfig, brokerId: number,
): MetadataRecord[] {
  const broker = registration(image, brokerId);
  return [
    ...brokerRemovalChanges(image, config, brokerId),
    {
      type: 'BrokerRegistrationChangeRecord',
      brokerId,
      brokerEpoch: broker.brokerEpoch,
      fenced: FencingChange.none,
      inControlledShutdown: ControlledShutdownChange.inControlledShutdown,
    },
  ];
}

/** Does the broker lead any partition? O(partitions). */
export function leadsAnyPartition(image: MetadataImage, brokerId: number): boolean {
  if (brokerId === NO_LEADER) return false;
  for (const topic of image.topics.byId.values()) {
    for (const partition of topic.partitions) if (partition.leader === brokerId) return true;
  }
  return false;
}
