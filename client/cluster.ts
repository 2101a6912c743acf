/**
 * The client's view of the cluster: the bootstrap list, one connection per broker address,
 * and the last metadata seen (brokers, cluster id, topics).
 *
 * Admin requests go to "any broker": the connection in use, or else the first bootstrap broker
 * that accepts a connection, trying each in turn from where the last attempt left off, then
 * the brokers learned from metadata. Controller-bound requests (CreateTopics, DeleteTopics,
 * CreatePartitions) go there too: the broker forwards them to the active controller (KIP-590),
 * so the client never dials a controller.
 *
 * Data-plane requests go to a partition's leader instead: nodeConnection(id) dials the broker
 * that metadata names. Metadata answers are merged into a per-topic cache (topicMetadata), so
 * the producer and consumer can refresh the topics they use without forgetting the others.
 */
import type {
  BrokerMetadata, MetadataResponse, TopicMetadata,
} from '../protocol/apis/metadata.js';
import type { RequestOf, ResponseOf, ServedApiName } from '../protocol/registry.js';
import { formatBrokerAddress } from './config.js';
import type { BrokerAddress, ResolvedConfig } from './config.js';
import { BrokerConnection } from './connection.js';
import { RaftkaConnectionError, RaftkaError } from './errors.js';

export class Cluster {
  private readonly connections = new Map<string, BrokerConnection>();
  private current: BrokerConnection | undefined;
  /** Index into the bootstrap list where the next connection attempt starts. */
  private nextSeed = 0;
  private metadata: MetadataResponse | undefined;
  private readonly brokersById = new Map<number, BrokerMetadata>();
  /** The last metadata of each topic seen in any answer, with the time it arrived. */
  private readonly topics = new Map<string, { metadata: TopicMetadata; atMs: number }>();

  constructor(readonly config: ResolvedConfig) {}

  /** The last metadata response, if any (brokers, clusterId, controllerId, topics). */
  get lastMetadata(): MetadataResponse | undefined {
    return this.metadata;
  }

  /** A connected broker, connecting to one if needed (see the file comment for the order). */
  async anyBroker(): Promise<BrokerConnection> {
    if (this.current?.connected === true) return this.current;
    const failures: string[] = [];
    for (const [index, address] of this.candidates()) {
      const connection = this.connectionTo(address);
      try {
        await connection.connect();
        this.current = connection;
        if (index !== undefined) this.nextSeed = index;
        return connection;
      } catch (error) {
        if (!(error instanceof RaftkaError)) throw error;
        failures.push(error.message);
        if (index !== undefined) this.nextSeed = (index + 1) % this.config.brokers.length;
      }
    }
    throw new RaftkaConnectionError(`Failed to connect to any broker: ${failures.join('; ')}`,
      this.config.brokers.map(formatBrokerAddress).join(','));
  }

  /** Sends one request to any broker; a lost connection is replaced on the next call. */
  async request<N extends ServedApiName>(
    api: N,
    payload: RequestOf<N>,
    options: { timeoutMs?: number } = {},
  ): Promise<ResponseOf<N>> {
    const connection = await this.anyBroker();
    try {
      return await connection.request(api, payload, options);
    } catch (error) {
      if (error instanceof RaftkaConnectionError && this.current === connection) {
        this.current = undefined;
      }
      throw error;
    }
  }

  async refreshMetadata(
    topics: readonly string[] | null,
    options: { allowAutoTopicCreation?: boolean } = {},
  ): Promise<MetadataResponse> {
    const response = await this.request('Metadata', {
      topics: topics === null ? null : [...topics],
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
    });
    this.metadata = response;
    this.brokersById.clear();
    for (const broker of response.brokers) this.brokersById.set(broker.nodeId, broker);
    const now = Date.now();
    for (const topic of response.topics) {
      this.topics.set(topic.name, { metadata: topic, atMs: now });
    }
    return response;
  }

  /** The cached metadata of `topic` (any error code), or undefined if never seen. */
  topicMetadata(topic: string): TopicMetadata | undefined {
    return this.topics.get(topic)?.metadata;
  }

  /** How old the cached metadata of `topic` is, in ms; Infinity if there is none. */
  topicMetadataAgeMs(topic: string): number {
    const entry = this.topics.get(topic);
    return entry === undefined ? Infinity : Date.now() - entry.atMs;
  }

  /**
   * The connection to broker `nodeId` as the last metadata names it (not opened yet: it opens on
   * first use), or undefined when that metadata does not list the broker.
   */
  nodeConnection(nodeId: number): BrokerConnection | undefined {
    const broker = this.brokersById.get(nodeId);
    if (broker === undefined) return undefined;
    return this.connectionTo({ host: broker.host, port: broker.port });
  }

  async disconnect(): Promise<void> {
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.current = undefined;
    await Promise.all(connections.map((connection) => connection.disconnect()));
  }

  /** Bootstrap brokers from nextSeed on (with their index), then brokers from metadata. */
  private *candidates(): Generator<[number | undefined, BrokerAddress]> {
    const seeds = this.config.brokers;
    const seen = new Set<string>();
    const start = this.nextSeed; // anyBroker moves nextSeed while this generator runs
    for (let i = 0; i < seeds.length; i++) {
      const index = (start + i) % seeds.length;
      const address = seeds[index]!;
      seen.add(formatBrokerAddress(address));
      yield [index, address];
    }
    for (const broker of this.metadata?.brokers ?? []) {
      const address = { host: broker.host, port: broker.port };
      if (!seen.has(formatBrokerAddress(address))) yield [undefined, address];
    }
  }

  private connectionTo(address: BrokerAddress): BrokerConnection {
    const key = formatBrokerAddress(address);
    let connection = this.connections.get(key);
    if (connection === undefined) {
      connection = new BrokerConnection({
        address,
        clientId: this.config.clientId,
        connectionTimeoutMs: this.config.connectionTimeoutMs,
        requestTimeoutMs: this.config.requestTimeoutMs,
        maxInFlightRequests: this.config.maxInFlightRequests,
        maxQueuedRequests: this.config.maxQueuedRequests,
        maxFrameBytes: this.config.maxFrameBytes,
      });
      this.connections.set(key, connection);
    }
    return connection;
  }
}
