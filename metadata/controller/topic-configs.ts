/**
 * Per-topic configuration overrides: the names Kafka's LogConfig knows, their types and
 * ranges, and ConfigDef's messages (`Invalid value X for configuration N: ...`). Values are
 * stored as the strings given; brokers parse them again when they apply them.
 */
import { ConfigResourceType } from '../records/record-types.js';
import { configResourceKey, type MetadataImage } from '../image/image-types.js';

type ConfigType = 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'LIST';

interface ConfigDef {
  readonly type: ConfigType;
  readonly min?: number;
  readonly max?: number;
  readonly validValues?: readonly string[];
}

export const TOPIC_CONFIGS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': { type: 'LIST', validValues: ['compact', 'delete'] },
  'compression.type': {
    type: 'STRING', validValues: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
  },
  'delete.retention.ms': { type: 'LONG', min: 0 },
  'file.delete.delay.ms': { type: 'LONG', min: 0 },
  'flush.messages': { type: 'LONG', min: 1 },
  'flush.ms': { type: 'LONG', min: 0 },
  'index.interval.bytes': { type: 'INT', min: 0 },
  'max.compaction.lag.ms': { type: 'LONG', min: 1 },
  'max.message.bytes': { type: 'INT', min: 0 },
  'message.timestamp.type': { type: 'STRING', validValues: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { type: 'DOUBLE', min: 0, max: 1 },
  'min.compaction.lag.ms': { type: 'LONG', min: 0 },
  'min.insync.replicas': { type: 'INT', min: 1 },
  'preallocate': { type: 'BOOLEAN' },
  'retention.bytes': { type: 'LONG' },
  'retention.ms': { type: 'LONG', min: -1 },
  'segment.bytes': { type: 'INT', min: 14 },
  'segment.index.bytes': { type: 'INT', min: 4 },
  'segment.jitter.ms': { type: 'LONG', min: 0 },
  'segment.ms': { type: 'LONG', min: 1 },
  'unclean.leader.election.enable': { type: 'BOOLEAN' },
};

const INT_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const LONG_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;

/** The INVALID_CONFIG message for the first bad entry, or undefined when all are fine. */
export function topicConfigsError(configs: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIGS[name];
    if (def === undefined) return `Unknown topic config name: ${name}`;
    const problem = valueProblem(def, value.trim());
    if (problem !== undefined) {
      return `Invalid value ${problem.shown} for configuration ${name}: ${problem.reason}`;
    }
  }
  return undefined;
}

function valueProblem(def: ConfigDef, text: string): { shown: string; reason: string } | undefined {
  switch (def.type) {
    case 'INT':
    case 'LONG': {
      const [lo, hi] = def.type === 'INT' ? INT_RANGE : LONG_RANGE;
      if (!/^[+-]?\d+$/.test(text) || BigInt(text) < lo || BigInt(text) > hi) {
        return { shown: text, reason: `Not a number of type ${def.type}` };
      }
      return rangeProblem(def, BigInt(text).toString(), Number(text));
    }
    case 'DOUBLE': {
      const value = Number(text);
      if (text === '' || Number.isNaN(value)) {
        return { shown: text, reason: 'Not a number of type DOUBLE' };
      }
      return rangeProblem(def, String(value), value);
    }
    case 'BOOLEAN':
      if (/^(true|false)$/i.test(text)) return undefined;
      return { shown: text, reason: 'Expected value to be either true or false' };
    case 'STRING':
      return oneOf(def, text);
    case 'LIST':
      for (const item of text.split(',').map((s) => s.trim())) {
        const problem = oneOf(def, item);
        if (problem !== undefined) return problem;
      }
      return undefined;
  }
}

function rangeProblem(def: ConfigDef, shown: string, value: number):
  { shown: string; reason: string } | undefined {
  if (def.min !== undefined && value < def.min) {
    return { shown, reason: `Value must be at least ${def.min}` };
  }
  if (def.max !== undefined && value > def.max) {
    return { shown, reason: `Value must be no more than ${def.max}` };
  }
  return undefined;
}

function oneOf(def: ConfigDef, text: string): { shown: string; reason: string } | undefined {
  if (def.validValues === undefined || def.validValues.includes(text)) return undefined;
  return { shown: text, reason: `String must be one of: ${def.validValues.join(', ')}` };
}

/** A topic's overrides (empty when it has none). */
export function topicConfigs(image: MetadataImage, topicName: string): ReadonlyMap<string, string> {
  return image.configs.resources.get(configResourceKey(ConfigResourceType.topic, topicName)) ??
    new Map();
}

/** unclean.leader.election.enable for a topic: its override, else the controller's default. */
export function uncleanElectionEnabled(
  image: MetadataImage, topicName: string, clusterDefault: boolean,
): boolean {
  const value = topicConfigs(image, topicName).get('unclean.leader.election.enable');
  return value === undefined ? clusterDefault : value.trim().toLowerCase() === 'true';
}
