/**
 * The broker role of a raftka node (Kafka's BrokerServer):
 *  1. follows the metadata log: as an observer of the controller quorum on a broker-only node,
 *     or through the controller's own Raft node in combined mode (process.roles=broker,controller);
 *  2. listens for clients on its broker listener (request-router.ts);
 *  3. registers with the active controller and heartbeats (broker-lifecycle.ts);
 *     start-up completes once the controller has unfenced it;
 *  4. publishes each committed metadata delta to the data plane (what it now leads, follows or
 *     must delete).
 * shutdown() is the controlled shutdown of KIP-631: leaderships move away first, then the
 * listener and the metadata follower stop. close() stops at once, as a crash would.
 */
import type { ServerConfig } from '../../config/server-config.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { MetadataStateMachine, type MetadataImage } from '../../metadata/index.js';
import type { RaftNode } from '../../raft/runtime.js';
import type { PeerAddress } from '../../raft/transport/types.js';
import { AutoTopicCreator } from '../../broker/api/auto-create-topics.js';
import { listenForClients, type ClientListener } from '../../broker/api/client-listener.js';
import { routeRequest, type RouterContext } from '../../broker/api/request-router.js';
import type { DataPlane, DataPlaneContext } from '../../broker/data-plane.js';
import { ControllerChannel } from '../../broker/controller-channel.js';
import {
  BrokerLifecycle, BrokerState, FatalBrokerError,
} from './broker-lifecycle.js';
import { openMetadataRaft } from '../metadata-raft.js';
import { topicConfigDefaults } from '../../broker/topic-config-defaults.js';

/** Kafka's queued.max.requests: requests in flight per connection before reading pauses. */
const MAX_IN_FLIGHT_PER_CONNECTION = 500;
/** Kafka's max.connections is unlimited by default; a bound keeps a flood from starving us. */
const MAX_CONNECTIONS = 10_000;

export interface BrokerServerOptions {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly log: (line: string) => void;
  /** Combined mode: the controller's Raft node and state machine, shared. */
  readonly metadata?: { readonly node: RaftNode; readonly stateMachine: MetadataStateMachine };
  /** Builds the data plane once the broker knows its identity (optional for admin-only use). */
  readonly dataPlane?: (context: DataPlaneContext) => Promise<DataPlane>;
  /** Called when the broker cannot go on (registration refused for good). */
  readonly onFatal?: (error: Error) => void;
  /** Start-up times and waits (default: the system clock). */
  readonly clock?: Clock;
}

export interface BrokerServer {
  readonly brokerId: number;
  readonly port: number;
  readonly lifecycle: BrokerLifecycle;
  readonly stateMachine: MetadataStateMachine;
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

function primitiveConfigs(config: ServerConfig): ReadonlyMap<string, string> {
  const entries = Object.entries(config)
    .filter(([key, value]) => key.includes('.') &&
      (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'))
    .map(([key, value]) => [key, String(value)] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return new Map(entries);
}

export async function startBrokerServer(options: BrokerServerOptions): Promise<BrokerServer> {
  const { config, clusterId } = options;
  const brokerId = config['node.id'];
  const clock = options.clock ?? systemClock;
  const startedAt = clock.nowMs();
  const log = (line: string): void => options.log(`[BrokerServer id=${brokerId}] ${line}`);
  const voters = config['controller.quorum.voters'];
  const controllerListenerName = config['controller.listener.names'][0] ?? 'CONTROLLER';
  const ownMetadata = options.metadata === undefined;
  const stateMachine = options.metadata?.stateMachine ?? new MetadataStateMachine();
  const node = options.metadata?.node ?? (await openMetadataRaft({
    config, clusterId, stateMachine, log,
  })).node;
  const channel = new ControllerChannel({
    voters: new Map<number, PeerAddress>(voters.map((v) => [v.id, { host: v.host, port: v.port }])),
    clientId: `broker-${brokerId}-to-controller`,
    clusterId,
  });
  const brokerListener = config.listeners.find((l) =>
    !config['controller.listener.names'].includes(l.name));
  if (brokerListener === undefined) throw new Error('listeners names no broker listener');
  const topicDefaults = topicConfigDefaults(config);
  const image = (): MetadataImage => stateMachine.image;
  let lifecycle: BrokerLifecycle | undefined;
  const dataPlane = options.dataPlane === undefined ? undefined : await options.dataPlane({
    config, brokerId, image, channel, topicDefaults, log,
    brokerEpoch: () => lifecycle?.brokerEpoch ?? -1,
  });
  const router: RouterContext = {
    identity: { brokerId, clusterId, listenerName: brokerListener.name },
    image,
    channel,
    voters,
    controllerListenerName,
    topicDefaults,
    brokerConfigs: primitiveConfigs(config),
    ...(dataPlane === undefined ? {} : { dataPlane }),
    ...(config['auto.create.topics.enable']
      ? { autoCreateTopics: new AutoTopicCreator(channel, log) } : {}),
  };
  const listener: ClientListener = await listenForClients({
    host: brokerListener.host === '' ? '0.0.0.0' : brokerListener.host,
    port: brokerListener.port,
    maxFrameBytes: config['socket.request.max.bytes'],
    maxInFlightPerConnection: MAX_IN_FLIGHT_PER_CONNECTION,
    maxConnections: MAX_CONNECTIONS,
    serve: (request, connection) => routeRequest(router, request, connection),
    log,
  });
  log(`Listening for clients on ${brokerListener.name}://${brokerListener.host}:${listener.port}`);
  const unsubscribe = stateMachine.subscribe((delta, next) => {
    dataPlane?.onMetadata(delta, next);
  });
  const stopCatchUpCheck = logWhenCaughtUp(node, (highWatermark) =>
    log(`Caught up with the metadata log at offset ${highWatermark - 1} ` +
      `(${clock.nowMs() - startedAt} ms after start-up)`));
  // The advertised endpoints, with the bound port where the config asked for an ephemeral one.
  const endPoints = config.advertisedBrokerListeners.map((l) => ({
    name: l.name,
    host: l.host === '' ? '127.0.0.1' : l.host,
    port: l.port === 0 && l.name === brokerListener.name ? listener.port : l.port,
    securityProtocol: config.listenerSecurityProtocols.get(l.name) ?? 'PLAINTEXT',
  }));
  let stopped = false;
  const stopAll = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    lifecycle?.close();
    stopCatchUpCheck();
    unsubscribe();
    await listener.close();
    await dataPlane?.close();
    await channel.close();
    if (ownMetadata) await node.close();
  };
  const created: BrokerLifecycle = new BrokerLifecycle({
    brokerId,
    clusterId,
    channel,
    listeners: endPoints,
    rack: null,
    logDirs: config.logDirs,
    heartbeatIntervalMs: config['broker.heartbeat.interval.ms'],
    registrationTimeoutMs: config['initial.broker.registration.timeout.ms'],
    metadataOffset: () => stateMachine.image.provenance.offset,
    readyToUnfence: () => stateMachine.image.provenance.offset >= created.brokerEpoch,
    log: options.log,
    onFatal: (error) => {
      log(`Fatal: ${error.message}`);
      void stopAll().then(() => options.onFatal?.(error));
    },
  });
  lifecycle = created;
  try {
    await created.start();
    await waitUntil(() => created.state === BrokerState.RUNNING || stopped,
      config['initial.broker.registration.timeout.ms'], 'the controller to unfence this broker',
      clock);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    brokerId,
    port: listener.port,
    lifecycle: created,
    stateMachine,
    async shutdown() {
      const agreed = await created.controlledShutdown(config['broker.session.timeout.ms']);
      log(agreed ? 'Controlled shutdown completed'
        : 'Controlled shutdown was not confirmed in time; stopping anyway');
      await stopAll();
    },
    close: stopAll,
  };
}

/**
 * Calls `caughtUp` once, when this node has applied the metadata log up to the high watermark
 * it knows (checked now and whenever entries commit); returns a function that stops checking.
 */
function logWhenCaughtUp(node: RaftNode, caughtUp: (highWatermark: number) => void): () => void {
  let done = false;
  const check = (): boolean => {
    const highWatermark = node.status().highWatermark;
    if (done || highWatermark <= 0 || node.appliedEndOffset < highWatermark) return done;
    done = true;
    caughtUp(highWatermark);
    return true;
  };
  if (check()) return () => undefined;
  const unsubscribe = node.onCommitted(() => {
    if (check()) unsubscribe();
  });
  return unsubscribe;
}

async function waitUntil(
  done: () => boolean, timeoutMs: number, what: string, clock: Clock,
): Promise<void> {
  const deadline = clock.nowMs() + timeoutMs;
  while (!done()) {
    if (clock.nowMs() > deadline) throw new FatalBrokerError(`Timed out waiting for ${what}`);
    await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 20));
  }
}
