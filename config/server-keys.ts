/**
 * The zod schema of every server.properties key raftka reads, with Kafka's names, types and
 * defaults (KafkaConfig, QuorumConfig, KRaftConfigs, ServerLogConfigs, ReplicationConfigs).
 * Each key's schema takes the raw text (or undefined when the key is absent) and yields the
 * typed value; a bad value becomes one issue whose message reads `'<value>' <reason>`.
 * Keys whose Kafka default is null are nullable here, so "unset" stays distinguishable.
 * Relations between keys are checked in server-rules.ts, not here.
 */
import { z } from 'zod';
import { assert } from '../lib/assert.js';
import {
  type Converted,
  INT16_MAX,
  INT32_MAX,
  Invalid,
  LONG_MAX_SATURATED,
  parseBoolean,
  parseBootstrapServer,
  parseInteger,
  parseList,
  parseListener,
  parseLong,
  parseProtocolMap,
  parseVoter,
  splitList,
  type Voter,
} from './values.js';

/** A schema from raw text, trimmed as Kafka's ConfigDef.parseType trims, to a typed value. */
function fromText<T>(convert: (text: string) => Converted<T>) {
  return z.string().transform((raw, ctx): T => {
    const text = raw.trim();
    const value = convert(text);
    if (value instanceof Invalid) {
      const message = `'${value.value ?? text}' ${value.reason}`;
      ctx.issues.push({ code: 'custom', message, input: raw });
      return z.NEVER;
    }
    return value;
  });
}

const int = (min = -INT32_MAX - 1) => fromText((text) => parseInteger(text, min, INT32_MAX));
const short = (min: number) => fromText((text) => parseInteger(text, min, INT16_MAX));
const long = (min = -LONG_MAX_SATURATED) => fromText((text) => parseLong(text, min));
const bool = () => fromText(parseBoolean);
const path = () => fromText((value) => (value === '' ? new Invalid('is not a path') : value));
const list = () => fromText((value) => splitList(value));
/** Listener names compare upper-cased, as Kafka's ListenerName.normalised does. */
const names = () => fromText((value) => splitList(value).map((name) => name.toUpperCase()));

export const PROCESS_ROLES = ['broker', 'controller'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

function parseRoles(value: string): Converted<ProcessRole[]> {
  const roles = splitList(value);
  for (const role of roles) {
    if (!(PROCESS_ROLES as readonly string[]).includes(role)) {
      // Kafka: "Unknown process role '...' (only 'broker' and 'controller' are allowed roles)"
      return new Invalid("is an unknown process role (only 'broker' and 'controller' are allowed " +
        'roles)', role);
    }
  }
  if (new Set(roles).size !== roles.length) return new Invalid('has duplicate role names');
  return roles as ProcessRole[];
}

function parseVoters(value: string): Converted<Voter[]> {
  const voters = parseList(value, parseVoter);
  if (voters instanceof Invalid) return voters;
  const seen = new Set<number>();
  for (const voter of voters) {
    if (seen.has(voter.id)) return new Invalid(`has duplicate voter id ${voter.id}`);
    seen.add(voter.id);
  }
  return voters;
}

const listeners = () => fromText((value) => parseList(value, parseListener));
const LISTENER_SECURITY_PROTOCOL_MAP_DEFAULT =
  'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL';
const protocolMapDefault = parseProtocolMap(LISTENER_SECURITY_PROTOCOL_MAP_DEFAULT);

const MiB = 1024 * 1024;

export const serverKeySchemas = {
  // KRaft roles and quorum (KRaftConfigs, QuorumConfig; KIP-595, KIP-853)
  'process.roles': fromText(parseRoles).default(() => []),
  'node.id': int().default(-1),
  'controller.quorum.voters': fromText(parseVoters).default(() => []),
  'controller.quorum.bootstrap.servers': fromText((v) => parseList(v, parseBootstrapServer))
    .default(() => []),
  'controller.listener.names': names().default(() => []),
  'controller.quorum.election.timeout.ms': int(1).default(1000),
  'controller.quorum.fetch.timeout.ms': int(1).default(2000),
  'controller.quorum.election.backoff.max.ms': int(1).default(1000),
  'controller.quorum.request.timeout.ms': int(1).default(2000),
  'controller.quorum.append.linger.ms': int(0).default(25),
  'controller.quorum.retry.backoff.ms': int(0).default(20),
  // Listeners (SocketServerConfigs, ReplicationConfigs)
  listeners: listeners().default(() => [{ name: 'PLAINTEXT', host: '', port: 9092 }]),
  'advertised.listeners': listeners().nullable().default(null),
  'inter.broker.listener.name': fromText((v) => v.toUpperCase()).nullable().default(null),
  'listener.security.protocol.map': fromText(parseProtocolMap).default(() => {
    assert(!(protocolMapDefault instanceof Invalid), 'the default protocol map parses');
    return new Map(protocolMapDefault);
  }),
  'socket.request.max.bytes': int(1).default(100 * MiB),
  'socket.send.buffer.bytes': int().default(100 * 1024),
  'socket.receive.buffer.bytes': int().default(100 * 1024),
  'num.network.threads': int(1).default(3),
  'num.io.threads': int(1).default(8),
  // Directories (ServerLogConfigs, KRaftConfigs)
  'log.dirs': list().nullable().default(null),
  'log.dir': list().default(() => ['/tmp/kafka-logs']),
  'metadata.log.dir': path().nullable().default(null),
  'num.recovery.threads.per.data.dir': int(1).default(2),
  // Topics and replication (ServerLogConfigs, ReplicationConfigs, GroupCoordinatorConfig)
  'num.partitions': int(1).default(1),
  'default.replication.factor': int(1).default(1),
  'min.insync.replicas': int(1).default(1),
  'unclean.leader.election.enable': bool().default(false),
  'auto.create.topics.enable': bool().default(true),
  'replica.lag.time.max.ms': long(0).default(30_000),
  'offsets.topic.replication.factor': short(1).default(3),
  'offsets.topic.num.partitions': int(1).default(50),
  'transaction.state.log.replication.factor': short(1).default(3),
  'transaction.state.log.min.isr': int(1).default(2),
  'transaction.state.log.num.partitions': int(1).default(50),
  'transaction.state.log.segment.bytes': int(1).default(100 * MiB),
  'share.coordinator.state.topic.replication.factor': short(1).default(3),
  'share.coordinator.state.topic.min.isr': short(1).default(2),
  // Broker lifecycle (KRaftConfigs; KIP-631)
  'broker.heartbeat.interval.ms': int(1).default(2000),
  'broker.session.timeout.ms': int(1).default(9000),
  'initial.broker.registration.timeout.ms': int(1).default(60_000),
  // Log retention, segments and flushing (ServerLogConfigs). ms > minutes > hours.
  'log.retention.ms': long().nullable().default(null),
  'log.retention.minutes': int().nullable().default(null),
  'log.retention.hours': int().default(168),
  'log.retention.bytes': long().default(-1),
  'log.retention.check.interval.ms': long(1).default(300_000),
  'log.segment.bytes': int(14).default(1024 * MiB),
  'log.roll.ms': long().nullable().default(null),
  'log.roll.hours': int(1).default(168),
  'log.flush.interval.messages': long(1).default(LONG_MAX_SATURATED),
  'log.flush.interval.ms': long().nullable().default(null),
  // The metadata log (KRaftConfigs; KIP-630)
  'metadata.log.max.record.bytes.between.snapshots': long(1).default(20 * MiB),
  'metadata.log.max.snapshot.interval.ms': long(0).default(3_600_000),
  'metadata.max.idle.interval.ms': int(0).default(500),
  'metadata.max.retention.bytes': long().default(100 * MiB),
  'metadata.max.retention.ms': long().default(604_800_000),
} as const;

export type ServerKey = keyof typeof serverKeySchemas;

/** All keys at once; the loader parses key by key so that one bad value hides no other error. */
export const serverKeysSchema = z.object(serverKeySchemas);

/** Every key with its typed value, using Kafka's dotted names. */
export type ServerKeyValues = z.output<typeof serverKeysSchema>;

export function isServerKey(key: string): key is ServerKey {
  return Object.hasOwn(serverKeySchemas, key);
}
