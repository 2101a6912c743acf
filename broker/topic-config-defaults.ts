/**
 * The broker-wide defaults behind each per-topic config (Kafka's LogConfig synonyms: a topic's
 * `retention.ms` falls back to the broker's log.retention.ms, and so on). DescribeConfigs shows
 * them as DEFAULT_CONFIG/STATIC_BROKER_CONFIG values, and the partition logs use them for
 * every topic without an override. Values are strings, as topic configs are stored.
 */
import type { ServerConfig } from '../config/server-config.js';
import { TOPIC_CONFIGS } from '../metadata/index.js';

/** Kafka's defaults for the topic configs that have no broker key here. */
const FIXED_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'delete.retention.ms': '86400000',
  'file.delete.delay.ms': '60000',
  'index.interval.bytes': '4096',
  'max.compaction.lag.ms': '9223372036854775807',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'min.cleanable.dirty.ratio': '0.5',
  'min.compaction.lag.ms': '0',
  'preallocate': 'false',
  'segment.index.bytes': '10485760',
  'segment.jitter.ms': '0',
};

const LONG_MAX = '9223372036854775807';

/** Every topic config with the value a topic without overrides has on this broker. */
export function topicConfigDefaults(config: ServerConfig): ReadonlyMap<string, string> {
  const fromBroker: Readonly<Record<string, string>> = {
    'min.insync.replicas': String(config['min.insync.replicas']),
    'retention.bytes': String(config['log.retention.bytes']),
    'retention.ms': String(config.logRetentionMs),
    'segment.bytes': String(config['log.segment.bytes']),
    'segment.ms': String(config.logRollMs),
    // Kafka's Long.MAX_VALUE defaults: "never", relying on replication and the OS.
    'flush.messages': config['log.flush.interval.messages'] >= Number.MAX_SAFE_INTEGER
      ? LONG_MAX : String(config['log.flush.interval.messages']),
    'flush.ms': config['log.flush.interval.ms'] === null
      ? LONG_MAX : String(config['log.flush.interval.ms']),
    'unclean.leader.election.enable': String(config['unclean.leader.election.enable']),
  };
  const defaults = new Map<string, string>();
  for (const name of Object.keys(TOPIC_CONFIGS).sort()) {
    const value = fromBroker[name] ?? FIXED_DEFAULTS[name];
    if (value !== undefined) defaults.set(name, value);
  }
  return defaults;
}
