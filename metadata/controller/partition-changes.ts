/**
 * Leader election and ISR shrinking for the broker lifecycle (Kafka's PartitionChangeBuilder
 * and ReplicationControlManager.generateLeaderAndIsrUpdates, with ELR off):
 *  - a broker that goes away (fenced, session expired, controlled shutdown) leaves every ISR,
 *    except that an ISR never shrinks below one member: the last member stays, and the
 *    partition goes offline (leader -1) when that member cannot lead;
 *  - a partition whose leader is gone elects the first replica (preferred order) that is in
 *    the ISR and acceptable; with unclean.leader.election.enable any acceptable replica may
 *    lead, and the ISR becomes just that leader (data written to the others may be lost);
 *  - a broker that comes back leads the offline partitions whose ISR names it.
 * Replaying the returned records bumps the partition epoch, and the leader epoch when the
 * leader changes (partition.ts).
 *
 * These scan every partition: O(partitions) per broker event. Kafka keeps a broker-to-ISR
 * index instead (BrokersToIsrs); add one if fencing large clusters shows up in profiles.
 */
import { isUsable } from './brokers.js';
import type { ControllerConfig } from './controller-config.js';
import { uncleanElectionEnabled } from './topic-configs.js';
import type { MetadataImage, PartitionRegistration } from '../image/image-types.js';
import { sameIds } from '../image/partition.js';
import {
  NO_LEADER, NO_LEADER_CHANGE, type PartitionChangeRecord,
} from '../records/record-types.js';

export interface ElectionRules {
  /** May this broker lead? */
  readonly acceptable: (brokerId: number) => boolean;
  readonly uncleanOk: boolean;
}

/** Kafka's ReplicationControlManager.bestLeader. */
export function bestLeader(
  replicas: readonly number[], isr: readonly number[], rules: ElectionRules,
): number {
  let unclean = NO_LEADER;
  for (const replica of replicas) {
    if (!rules.acceptable(replica)) continue;
    if (isr.includes(replica)) return replica;
    if (unclean === NO_LEADER) unclean = replica;
  }
  return rules.uncleanOk ? unclean : NO_LEADER;
}

/**
 * The change that takes `removed` (if any) out of the ISR and gives the partition an
 * acceptable leader if it can; undefined when nothing changes.
 */
export function partitionChange(
  topicId: string, partitionId: number, partition: PartitionRegistration,
  removed: number | undefined, rules: ElectionRules,
): PartitionChangeRecord | undefined {
  let isr = partition.isr;
  if (removed !== undefined && isr.length > 1 && isr.includes(removed)) {
    isr = isr.filter((id) => id !== removed);
  }
  let leader = partition.leader;
  if (leader === NO_LEADER || !isr.includes(leader) || !rules.acceptable(leader)) {
    leader = bestLeader(partition.replicas, isr, rules);
    if (leader !== NO_LEADER && !isr.includes(leader)) isr = [leader];
  }
  const isrChanged = !sameIds(isr, partition.isr);
  if (leader === partition.leader && !isrChanged) return undefined;
  return {
    type: 'PartitionChangeRecord',
    topicId,
    partitionId,
    leader: leader === partition.leader ? NO_LEADER_CHANGE : leader,
    ...(isrChanged ? { isr } : {}),
  };
}

/** Changes for a broker leaving: out of every ISR, its leaderships moved or taken offline. */
export function brokerRemovalChanges(
  image: MetadataImage, config: ControllerConfig, brokerId: number,
): PartitionChangeRecord[] {
  const brokers = image.cluster.brokers;
  const acceptable = (id: number): boolean => id !== brokerId && isUsable(brokers.get(id));
  return scan(image, config, acceptable, (p) => p.isr.includes(brokerId), brokerId);
}

/** Changes for a broker coming back: it leads the offline partitions it may lead. */
export function brokerReturnChanges(
  image: MetadataImage, config: ControllerConfig, brokerId: number,
): PartitionChangeRecord[] {
  const brokers = image.cluster.brokers;
  const acceptable = (id: number): boolean => id === brokerId || isUsable(brokers.get(id));
  return scan(image, config, acceptable,
    (p) => p.leader === NO_LEADER && p.replicas.includes(brokerId), undefined);
}

function scan(
  image: MetadataImage, config: ControllerConfig, acceptable: (id: number) => boolean,
  affected: (p: PartitionRegistration) => boolean, removed: number | undefined,
): PartitionChangeRecord[] {
  const records: PartitionChangeRecord[] = [];
  for (const topic of image.topics.byId.values()) {
    let rules: ElectionRules | undefined;
    topic.partitions.forEach((partition, partitionId) => {
      if (!affected(partition)) return;
      rules ??= {
        acceptable,
        uncleanOk: uncleanElectionEnabled(image, topic.name, config.uncleanLeaderElectionEnable),
      };
      const change = partitionChange(topic.topicId, partitionId, partition, removed, rules);
      if (change !== undefined) records.push(change);
    });
  }
  return records;
}
