/**
 * Relations between server keys, as KafkaConfig.validateValues checks them (3.9), with Kafka's
 * messages. Each rule names the keys an error is reported against and the keys it reads; a rule
 * is skipped when one of those keys already failed on its own, so one typo gives one error.
 */
import type { DerivedConfig } from './server-derived.js';
import type { ServerKey, ServerKeyValues } from './server-keys.js';
import { hostPortToString, type Listener } from './values.js';

export type CheckedConfig = ServerKeyValues & DerivedConfig;

export interface RuleFailure {
  /** Keys the message is about; the first one's line is used when it is the only one. */
  readonly keys: readonly ServerKey[];
  readonly message: string;
}

interface Rule {
  readonly keys: readonly ServerKey[];
  /** Further keys the check depends on. */
  readonly reads?: readonly ServerKey[];
  /** When this rule fails, no later rule runs: their premises do not hold. */
  readonly stopsOthers?: boolean;
  /** Returns the failure message, or undefined when the rule holds. */
  readonly check: (config: CheckedConfig, isSet: (key: ServerKey) => boolean) => string | undefined;
}

const VOTERS = 'controller.quorum.voters';
const BOOTSTRAP = 'controller.quorum.bootstrap.servers';
const CONTROLLER_NAMES = 'controller.listener.names';
const ADVERTISED = 'advertised.listeners';
const ROLES = 'process.roles';

const isBrokerOnly = (c: CheckedConfig): boolean => c.isBroker && !c.isController;
const isControllerOnly = (c: CheckedConfig): boolean => c.isController && !c.isBroker;
const hasNodeId = (c: CheckedConfig): boolean => c['node.id'] >= 0;
const voterIds = (c: CheckedConfig): number[] => c[VOTERS].map((voter) => voter.id);
/** Scala's Set.toString, as Kafka's messages print voter ids. */
const scalaSet = (ids: readonly number[]): string => `Set(${ids.join(', ')})`;
const namesOf = (listeners: readonly Listener[]): string[] =>
  [...new Set(listeners.map((l) => l.name))];
const render = (listeners: readonly Listener[]): string =>
  listeners.map((l) => `${l.name}://${hostPortToString(l)}`).join(',');

const quorumRules: readonly Rule[] = [
  {
    keys: [ROLES],
    stopsOthers: true,
    check: (c) => c[ROLES].length > 0 ? undefined :
      'is not set, so this is a configuration for a legacy (ZooKeeper) cluster; raftka runs only ' +
      'in KRaft mode: set process.roles to broker, controller or broker,controller',
  },
  {
    keys: ['node.id'],
    reads: [ROLES],
    check: (c, isSet) => {
      if (c[ROLES].length === 0 || hasNodeId(c)) return undefined;
      if (isSet('node.id')) return `'${c['node.id']}' must be a non-negative integer in KRaft mode`;
      return 'Missing configuration `node.id` which is required when `process.roles` is defined ' +
        '(i.e. when running in KRaft mode).';
    },
  },
  {
    keys: [VOTERS, BOOTSTRAP],
    reads: [ROLES],
    check: (c) => c[ROLES].length === 0 || c[VOTERS].length > 0 || c[BOOTSTRAP].length > 0
      ? undefined :
      `If using ${ROLES}, either ${BOOTSTRAP} must contain the set of bootstrap controllers or ` +
      `${VOTERS} must contain a parseable set of controllers.`,
  },
  {
    keys: ['node.id', VOTERS],
    reads: [ROLES],
    check: (c) => !c.isController || !hasNodeId(c) || c[VOTERS].length === 0 ||
      voterIds(c).includes(c['node.id']) ? undefined :
      `If ${ROLES} contains the 'controller' role, the node id ${c['node.id']} must be included ` +
      `in the set of voters ${VOTERS}=${scalaSet(voterIds(c))}`,
  },
  {
    keys: ['node.id', VOTERS],
    reads: [ROLES],
    check: (c) => !isBrokerOnly(c) || !voterIds(c).includes(c['node.id']) ? undefined :
      `If ${ROLES} contains just the 'broker' role, the node id ${c['node.id']} must not be ` +
      `included in the set of voters ${VOTERS}=${scalaSet(voterIds(c))}`,
  },
];

const controllerListenerRules: readonly Rule[] = [
  {
    keys: [CONTROLLER_NAMES],
    reads: [ROLES, 'listeners', ADVERTISED],
    check: (c) => !c.isController || c.advertisedControllerListeners.length > 0 ? undefined :
      `${CONTROLLER_NAMES} must contain at least one value appearing in the 'listeners' ` +
      'configuration when running the KRaft controller role',
  },
  {
    keys: [CONTROLLER_NAMES],
    reads: [ROLES, 'listeners', ADVERTISED],
    check: (c) => !c.isController || c.advertisedControllerListeners.length === 0 ||
      c[CONTROLLER_NAMES].every((name) => c.listeners.some((l) => l.name === name)) ? undefined :
      `${CONTROLLER_NAMES} must only contain values appearing in the 'listeners' configuration ` +
      'when running the KRaft controller role',
  },
  {
    keys: ['listeners', CONTROLLER_NAMES],
    reads: [ROLES, ADVERTISED],
    check: (c) => !isControllerOnly(c) || c.advertisedControllerListeners.length === 0 ||
      c.advertisedControllerListeners.length === c.listeners.length ? undefined :
      'The listeners config must only contain KRaft controller listeners from ' +
      `${CONTROLLER_NAMES} when ${ROLES}=controller`,
  },
  {
    keys: [CONTROLLER_NAMES, 'inter.broker.listener.name'],
    reads: [ROLES],
    check: (c) => !isControllerOnly(c) || c['inter.broker.listener.name'] === null ||
      !c[CONTROLLER_NAMES].includes(c['inter.broker.listener.name']) ? undefined :
      `${CONTROLLER_NAMES} must not contain an explicitly set inter.broker.listener.name ` +
      `configuration value when ${ROLES}=controller`,
  },
  {
    keys: [CONTROLLER_NAMES],
    reads: [ROLES],
    check: (c) => !isBrokerOnly(c) || c[CONTROLLER_NAMES].length > 0 ? undefined :
      `${CONTROLLER_NAMES} must contain at least one value when running KRaft with just the ` +
      'broker role',
  },
  {
    keys: [CONTROLLER_NAMES, 'listeners'],
    reads: [ROLES],
    check: (c) => !isBrokerOnly(c) || c.controllerListeners.length === 0 ? undefined :
      `${CONTROLLER_NAMES} must not contain a value appearing in the 'listeners' configuration ` +
      'when running KRaft with just the broker role',
  },
  {
    keys: [CONTROLLER_NAMES, 'listener.security.protocol.map'],
    reads: [ROLES, 'listeners'],
    check: (c) => {
      const missing = c[CONTROLLER_NAMES].find((name) => !c.listenerSecurityProtocols.has(name));
      return !isBrokerOnly(c) || missing === undefined ? undefined :
        `Controller listener with name ${missing} defined in ${CONTROLLER_NAMES} not found in ` +
        'listener.security.protocol.map (an explicit security mapping for each controller ' +
        'listener is required if listener.security.protocol.map is non-empty, or if there are ' +
        'security protocols other than PLAINTEXT in use)';
    },
  },
];

const brokerListenerRules: readonly Rule[] = [
  {
    keys: [ADVERTISED, CONTROLLER_NAMES],
    reads: [ROLES, 'listeners'],
    check: (c) => !c.isBroker || c.advertisedBrokerListeners.length > 0 ? undefined :
      'There must be at least one broker advertised listener. Perhaps all listeners appear in ' +
      `${CONTROLLER_NAMES}?`,
  },
  {
    keys: ['inter.broker.listener.name'],
    reads: [ROLES, 'listeners', ADVERTISED, CONTROLLER_NAMES],
    check: (c) => !c.isBroker || c.advertisedBrokerListeners.length === 0 ||
      c.advertisedBrokerListeners.some((l) => l.name === c.interBrokerListenerName) ? undefined :
      `inter.broker.listener.name must be a listener name defined in ${ADVERTISED}. The valid ` +
      `options based on currently configured listeners are ${namesOf(c.advertisedBrokerListeners)}`,
  },
  {
    keys: [ADVERTISED, 'listeners'],
    reads: [ROLES, CONTROLLER_NAMES],
    check: (c) => {
      const bound = namesOf(c.listeners);
      const advertised = namesOf(c.advertisedBrokerListeners);
      return !c.isBroker || advertised.every((name) => bound.includes(name)) ? undefined :
        `${ADVERTISED} listener names must be equal to or a subset of the ones defined in ` +
        `listeners. Found ${advertised}. The valid options based on the current configuration ` +
        `are ${bound}`;
    },
  },
  {
    keys: [ADVERTISED],
    reads: ['listeners', CONTROLLER_NAMES],
    check: (c) => ![...c.advertisedBrokerListeners, ...c.advertisedControllerListeners]
      .some((l) => l.host === '0.0.0.0') ? undefined :
      `${ADVERTISED} cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.`,
  },
];

/** CoreUtils.listenerListToEndPoints checks, for listeners and advertised.listeners alike. */
function endpointRules(key: 'listeners' | typeof ADVERTISED): Rule[] {
  const of = (c: CheckedConfig): readonly Listener[] => c[key] ?? [];
  return [
    {
      keys: [key, 'listener.security.protocol.map'],
      reads: [ROLES, CONTROLLER_NAMES],
      check: (c) => {
        const missing = of(c).find((l) => !c.listenerSecurityProtocols.has(l.name));
        return missing === undefined ? undefined :
          `No security protocol defined for listener ${missing.name}`;
      },
    },
    {
      keys: [key],
      check: (c) => namesOf(of(c)).length === of(c).length ? undefined :
        `Each listener must have a different name, ${key}: ${render(of(c))}`,
    },
    {
      keys: [key],
      // Kafka lets one IPv4 and one IPv6 listener share a port; port 0 means "any free port".
      check: (c) => key === ADVERTISED || !hasDuplicatePort(of(c)) ? undefined :
        `Each listener must have a different port, ${key}: ${render(of(c))}`,
    },
  ];
}

function hasDuplicatePort(listeners: readonly Listener[]): boolean {
  const seen = new Set<string>();
  for (const l of listeners) {
    if (l.port === 0) continue;
    const slot = `${l.host.includes(':') ? 'v6' : 'v4'}:${l.port}`;
    if (seen.has(slot)) return true;
    seen.add(slot);
  }
  return false;
}

const logRules: readonly Rule[] = [
  {
    keys: ['log.roll.ms', 'log.roll.hours'],
    check: (c) => c.logRollMs >= 1 ? undefined : 'log.roll.ms must be greater than or equal to 1',
  },
  {
    keys: ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
    check: (c) => c.logRetentionMs >= 1 || c.logRetentionMs === -1 ? undefined :
      'log.retention.ms must be unlimited (-1) or, greater than or equal to 1',
  },
  {
    keys: ['log.dirs', 'log.dir'],
    check: (c) => c.logDirs.length > 0 ? undefined :
      'At least one log directory must be defined via log.dirs or log.dir.',
  },
];

export const serverRules: readonly Rule[] = [
  ...quorumRules,
  ...controllerListenerRules,
  ...brokerListenerRules,
  ...endpointRules('listeners'),
  ...endpointRules(ADVERTISED),
  ...logRules,
];

export function checkRules(
  config: CheckedConfig,
  isSet: (key: ServerKey) => boolean,
  failedKeys: ReadonlySet<string>,
): RuleFailure[] {
  const failures: RuleFailure[] = [];
  for (const rule of serverRules) {
    const depends = [...rule.keys, ...(rule.reads ?? [])];
    if (depends.some((key) => failedKeys.has(key))) continue;
    const message = rule.check(config, isSet);
    if (message === undefined) continue;
    failures.push({ keys: rule.keys, message });
    if (rule.stopsOthers === true) break;
  }
  return failures;
}
