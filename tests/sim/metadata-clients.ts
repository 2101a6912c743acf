/**
 * The clients of the metadata simulation, in the spirit of tests/unit/metadata/
 * random-workload.ts but on virtual time and through the simulated cluster:
 *  - brokers register, heartbeat every 60-140 ms with the controller's committed offset (so
 *    they get unfenced), sometimes ask to be fenced or shut down, and sometimes go silent for
 *    longer than the session timeout, so the controller fences them and their leaderships move;
 *  - an admin client creates, deletes and extends topics, changes ISRs as a partition leader
 *    would (AlterPartition, sometimes with stale epochs) and allocates producer ids.
 * Each client sends to the node it believes hosts the active controller and follows the Raft
 * leader hint on NOT_CONTROLLER. The `send` callback proposes and tracks the write.
 */
import type { Prng } from '../../lib/prng.js';
import { randomUuid } from '../../lib/uuid.js';
import type {
  ControllerResponse, MetadataImage, QuorumController,
} from '../../metadata/index.js';
import type { Epoch, NodeId, Offset } from '../../raft/core/types.js';
import type { EventQueue } from './event-queue.js';

export const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';

/**
 * Where an acknowledged write's entry committed (for a write without records: the offset it
 * waited for, in the epoch of the activation that answered it).
 */
export interface Committed {
  readonly offset: Offset;
  readonly epoch: Epoch;
}
const TOPICS = ['a', 'b', 'c.d', 'c_d', 'e', 'f'];

/** What a request changed, for the end-of-run check of acknowledged writes. */
export type Expectation =
  | { readonly kind: 'topicCreated'; readonly topicId: string }
  | { readonly kind: 'topicDeleted'; readonly topicId: string }
  | { readonly kind: 'partitions'; readonly topicId: string; readonly count: number }
  | { readonly kind: 'broker'; readonly brokerId: number; readonly brokerEpoch: number }
  | {
      readonly kind: 'partitionEpoch';
      readonly topicId: string;
      readonly partitionId: number;
      readonly partitionEpoch: number;
    }
  | { readonly kind: 'producerIds'; readonly next: number };

export interface ClientHost {
  readonly queue: EventQueue;
  readonly prng: Prng;
  /** The active controller on `target`, or the node to try next. */
  route(target: NodeId): QuorumController | NodeId;
  /** Proposes a response; `acked` runs if the client is told it succeeded. */
  send<T>(
    target: NodeId,
    response: ControllerResponse<T>,
    acked: (reply: T, committed: Committed) => readonly Expectation[],
  ): void;
}

interface SimBroker {
  readonly id: number;
  target: NodeId;
  incarnationId: string;
  /** The broker epoch of its acknowledged registration, -1 before one. */
  brokerEpoch: number;
  silentUntilMs: number;
}

function pick<T>(prng: Prng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[prng.nextInt(0, items.length)];
}

export class MetadataClients {
  readonly #host: ClientHost;
  readonly #brokers: SimBroker[] = [];
  readonly #sessionTimeoutMs: number;
  #adminTarget: NodeId;
  #stopped = false;

  constructor(host: ClientHost, brokerCount: number, sessionTimeoutMs: number, first: NodeId) {
    this.#host = host;
    this.#sessionTimeoutMs = sessionTimeoutMs;
    this.#adminTarget = first;
    for (let id = 1; id <= brokerCount; id++) {
      this.#brokers.push({
        id, target: first, incarnationId: this.#uuid(), brokerEpoch: -1, silentUntilMs: 0,
      });
    }
  }

  start(): void {
    for (const broker of this.#brokers) this.#every(60, 140, () => this.#brokerStep(broker));
    this.#every(10, 50, () => this.#adminStep());
  }

  stop(): void {
    this.#stopped = true;
  }

  #every(minMs: number, maxMs: number, step: () => void): void {
    const { queue, prng } = this.#host;
    queue.after(prng.nextInt(minMs, maxMs + 1), () => {
      if (this.#stopped) return;
      step();
      this.#every(minMs, maxMs, step);
    });
  }

  #uuid(): string {
    const prng = this.#host.prng;
    return randomUuid(2, (n) => Uint8Array.from({ length: n }, () => prng.nextInt(0, 256)));
  }

  #controller(client: { target: NodeId }): QuorumController | undefined {
    const routed = this.#host.route(client.target);
    if (typeof routed === 'number') {
      client.target = routed;
      return undefined;
    }
    return routed;
  }

  #brokerStep(broker: SimBroker): void {
    const { prng, queue } = this.#host;
    if (queue.now < broker.silentUntilMs) return;
    if (prng.chance(0.01)) {
      // A pause (GC, partition from the controllers): often longer than the session.
      broker.silentUntilMs = queue.now + prng.nextInt(100, 3 * this.#sessionTimeoutMs);
      return;
    }
    const controller = this.#controller(broker);
    if (controller === undefined) return;
    if (broker.brokerEpoch < 0 || prng.chance(0.005)) return this.#register(broker, controller);
    const response = controller.brokerHeartbeat({
      brokerId: broker.id,
      brokerEpoch: broker.brokerEpoch,
      currentMetadataOffset: controller.committedImage.provenance.offset -
        (prng.chance(0.1) ? 1 : 0),
      wantFence: prng.chance(0.01),
      wantShutDown: prng.chance(0.01),
    }, queue.now);
    if (!response.ok) {
      if (response.error.error === 'STALE_BROKER_EPOCH') broker.brokerEpoch = -1;
      return;
    }
    this.#host.send(broker.target, response, (reply) => {
      if (reply.shouldShutDown) {
        // It shuts down and comes back as a new incarnation.
        broker.brokerEpoch = -1;
        broker.incarnationId = this.#uuid();
      }
      return [];
    });
  }

  #register(broker: SimBroker, controller: QuorumController): void {
    const { prng, queue } = this.#host;
    if (prng.chance(0.3)) broker.incarnationId = this.#uuid();
    const response = controller.registerBroker({
      brokerId: broker.id, clusterId: CLUSTER_ID, incarnationId: broker.incarnationId,
      listeners: [], rack: prng.chance(0.5) ? null : `rack-${broker.id % 2}`, logDirs: [],
    }, queue.now);
    this.#host.send(broker.target, response, (reply) => {
      broker.brokerEpoch = reply.brokerEpoch;
      return [{ kind: 'broker', brokerId: broker.id, brokerEpoch: reply.brokerEpoch }];
    });
  }

  #adminStep(): void {
    const client = { target: this.#adminTarget };
    const controller = this.#controller(client);
    this.#adminTarget = client.target;
    if (controller === undefined) return;
    const { prng } = this.#host;
    const roll = prng.nextInt(0, 100);
    if (roll < 25) this.#createTopic(controller);
    else if (roll < 37) this.#deleteTopic(controller);
    else if (roll < 47) this.#createPartitions(controller);
    else if (roll < 95) this.#alterIsr(controller, controller.image);
    else this.#allocateProducerIds(controller, controller.image);
  }

  #createTopic(controller: QuorumController): void {
    const { prng } = this.#host;
    const configs: Record<string, string> =
      prng.chance(0.2) ? { 'retention.ms': String(prng.nextInt(-3, 5)) } : {};
    const response = controller.createTopics([{
      name: pick(prng, TOPICS)!, numPartitions: prng.nextInt(-1, 5),
      replicationFactor: prng.nextInt(-1, 4), configs,
    }], prng.chance(0.05));
    this.#host.send(this.#adminTarget, response, (results) => results.flatMap((result) =>
      result.ok && result.topicId !== undefined && response.ok && response.records.length > 0
        ? [{ kind: 'topicCreated', topicId: result.topicId } as const] : []));
  }

  #deleteTopic(controller: QuorumController): void {
    const response = controller.deleteTopics({ names: [pick(this.#host.prng, TOPICS)!] });
    this.#host.send(this.#adminTarget, response, (results) => results.flatMap((result) =>
      result.ok ? [{ kind: 'topicDeleted', topicId: result.topicId } as const] : []));
  }

  #createPartitions(controller: QuorumController): void {
    const { prng } = this.#host;
    const name = pick(prng, TOPICS)!;
    const topicId = controller.image.topics.byName.get(name)?.topicId;
    const count = prng.nextInt(1, 8);
    const response = controller.createPartitions([{ name, count }]);
    this.#host.send(this.#adminTarget, response, (results) =>
      results[0]?.ok === true && topicId !== undefined
        ? [{ kind: 'partitions', topicId, count }] : []);
  }

  /** As the partition's leader broker would: shrink or expand the ISR (random-workload.ts). */
  #alterIsr(controller: QuorumController, image: MetadataImage): void {
    const { prng } = this.#host;
    const topic = pick(prng, [...image.topics.byId.values()]);
    if (topic === undefined) return;
    const partitionId = prng.nextInt(0, topic.partitions.length);
    const p = topic.partitions[partitionId]!;
    if (p.leader < 0) return;
    const others = p.replicas.filter((r) => r !== p.leader && prng.chance(0.6));
    const response = controller.alterPartition({
      brokerId: p.leader,
      brokerEpoch: image.cluster.brokers.get(p.leader)?.brokerEpoch ?? 0,
      topicId: topic.topicId,
      partitionId,
      leaderEpoch: p.leaderEpoch - (prng.chance(0.1) ? 1 : 0),
      partitionEpoch: p.partitionEpoch - (prng.chance(0.1) ? 1 : 0),
      newIsr: [p.leader, ...others],
    });
    this.#host.send(this.#adminTarget, response, (reply) => [{
      kind: 'partitionEpoch', topicId: topic.topicId, partitionId,
      partitionEpoch: reply.partitionEpoch,
    }]);
  }

  #allocateProducerIds(controller: QuorumController, image: MetadataImage): void {
    const brokerId = pick(this.#host.prng, [...image.cluster.brokers.keys()]);
    if (brokerId === undefined) return;
    const brokerEpoch = image.cluster.brokers.get(brokerId)!.brokerEpoch;
    const response = controller.allocateProducerIds({ brokerId, brokerEpoch });
    this.#host.send(this.#adminTarget, response, (reply) =>
      [{ kind: 'producerIds', next: reply.producerIdStart + reply.producerIdLen }]);
  }
}
