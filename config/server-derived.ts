/**
 * Values Kafka computes from several keys (KafkaConfig's logDirs, logRetentionTimeMillis,
 * effectiveAdvertisedBrokerListeners, effectiveListenerSecurityProtocolMap, ...). The config
 * object carries them as camelCase fields next to the dotted keys, so callers never repeat
 * Kafka's precedence rules.
 */
import type { ServerKeyValues } from './server-keys.js';
import type { Listener, SecurityProtocol } from './values.js';

export interface DerivedConfig {
  readonly isBroker: boolean;
  readonly isController: boolean;
  /** log.dirs if set, else log.dir. */
  readonly logDirs: readonly string[];
  /** metadata.log.dir if set, else the first log dir. */
  readonly metadataLogDir: string;
  /** log.retention.ms > .minutes > .hours; -1 means unlimited. */
  readonly logRetentionMs: number;
  /** log.roll.ms > log.roll.hours. */
  readonly logRollMs: number;
  /** advertised.listeners if set, else listeners. */
  readonly advertisedListeners: readonly Listener[];
  /** Advertised listeners that are not controller listeners: what a broker registers. */
  readonly advertisedBrokerListeners: readonly Listener[];
  /** Listeners named in controller.listener.names, in listeners order. */
  readonly controllerListeners: readonly Listener[];
  /** One per controller listener name: the advertised one if given, else the bound one. */
  readonly advertisedControllerListeners: readonly Listener[];
  /** inter.broker.listener.name if set, else PLAINTEXT (security.inter.broker.protocol). */
  readonly interBrokerListenerName: string;
  /** listener.security.protocol.map, plus PLAINTEXT for controller listeners when Kafka adds it. */
  readonly listenerSecurityProtocols: ReadonlyMap<string, SecurityProtocol>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export function deriveConfig(
  values: ServerKeyValues,
  isSet: (key: keyof ServerKeyValues) => boolean,
): DerivedConfig {
  const controllerNames = values['controller.listener.names'];
  const isControllerName = (listener: Listener): boolean => controllerNames.includes(listener.name);
  const logDirs = values['log.dirs'] ?? values['log.dir'];
  const advertisedListeners = values['advertised.listeners'] ?? values.listeners;
  const controllerListeners = values.listeners.filter(isControllerName);
  const advertisedControllerListeners = controllerNames.flatMap((name) => {
    const found = advertisedListeners.find((l) => l.name === name) ??
      controllerListeners.find((l) => l.name === name);
    return found === undefined ? [] : [found];
  });
  return {
    isBroker: values['process.roles'].includes('broker'),
    isController: values['process.roles'].includes('controller'),
    logDirs,
    metadataLogDir: values['metadata.log.dir'] ?? logDirs[0] ?? '',
    logRetentionMs: logRetentionMs(values),
    logRollMs: values['log.roll.ms'] ?? values['log.roll.hours'] * HOUR_MS,
    advertisedListeners,
    advertisedBrokerListeners: advertisedListeners.filter((l) => !isControllerName(l)),
    controllerListeners,
    advertisedControllerListeners,
    interBrokerListenerName: values['inter.broker.listener.name'] ?? 'PLAINTEXT',
    listenerSecurityProtocols: protocolMap(values, isSet('listener.security.protocol.map')),
  };
}

function logRetentionMs(values: ServerKeyValues): number {
  const minutes = values['log.retention.minutes'];
  const ms = values['log.retention.ms'] ??
    (minutes !== null ? minutes * MINUTE_MS : values['log.retention.hours'] * HOUR_MS);
  return ms < 0 ? -1 : ms;
}

/**
 * KafkaConfig.effectiveListenerSecurityProtocolMap: when the map is left at its default in KRaft
 * mode and nothing uses SSL or SASL, controller listeners get PLAINTEXT without being listed.
 */
function protocolMap(
  values: ServerKeyValues,
  explicitlySet: boolean,
): ReadonlyMap<string, SecurityProtocol> {
  const configured = values['listener.security.protocol.map'];
  if (explicitlySet || values['process.roles'].length === 0) return configured;
  const isSslOrSasl = (name: string): boolean =>
    name === 'SSL' || name === 'SASL_SSL' || name === 'SASL_PLAINTEXT';
  const controllerNames = values['controller.listener.names'];
  if (controllerNames.some(isSslOrSasl) || values.listeners.some((l) => isSslOrSasl(l.name))) {
    return configured;
  }
  const map = new Map(configured);
  for (const name of controllerNames) if (name !== 'PLAINTEXT') map.set(name, 'PLAINTEXT');
  return map;
}
