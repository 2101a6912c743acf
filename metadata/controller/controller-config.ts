/**
 * The settings the controller decides with, under their Kafka names (kraft-facts.md §3).
 * The config/ layer parses server.properties; the wiring copies these values over.
 */
import { assert } from '../../lib/assert.js';

export interface ControllerConfig {
  /** The cluster id from meta.properties; registrations must carry it. */
  readonly clusterId: string;
  /** num.partitions: used when a CreateTopics request says -1. */
  readonly defaultNumPartitions: number;
  /** default.replication.factor: used when a CreateTopics request says -1. */
  readonly defaultReplicationFactor: number;
  /** broker.session.timeout.ms: a broker silent this long is fenced. */
  readonly brokerSessionTimeoutMs: number;
  /** unclean.leader.election.enable: the default for topics without an override. */
  readonly uncleanLeaderElectionEnable: boolean;
  /** Kafka's MAX_PARTITIONS_PER_BATCH: partitions one CreateTopics/CreatePartitions may add. */
  readonly maxPartitionsPerRequest: number;
  /** Producer ids handed to a broker per AllocateProducerIds (Kafka's block size). */
  readonly producerIdBlockSize: number;
}

export const CONTROLLER_DEFAULTS: Omit<ControllerConfig, 'clusterId'> = {
  defaultNumPartitions: 1,
  defaultReplicationFactor: 1,
  brokerSessionTimeoutMs: 9000,
  uncleanLeaderElectionEnable: false,
  maxPartitionsPerRequest: 10_000,
  producerIdBlockSize: 1000,
};

export function controllerConfig(
  settings: Partial<ControllerConfig> & Pick<ControllerConfig, 'clusterId'>,
): ControllerConfig {
  const config = { ...CONTROLLER_DEFAULTS, ...settings };
  assert(config.defaultNumPartitions >= 1, 'num.partitions must be at least 1');
  assert(config.defaultReplicationFactor >= 1, 'default.replication.factor must be at least 1');
  assert(config.brokerSessionTimeoutMs > 0, 'broker.session.timeout.ms must be positive');
  assert(config.maxPartitionsPerRequest >= 1 && config.producerIdBlockSize >= 1, 'bad limits');
  return config;
}
