/**
 * The metadata simulation: the quorum controller (metadata/) on top of the simulated Raft
 * cluster of simulation.ts, with the same seeds, cluster shapes and faults (drops, delays,
 * duplicates, partitions, crashes and restarts, torn disks). Replay one run with
 *   npm run build && npm run sim -- --metadata --seed N
 * (metadata-simulation.test.ts runs a fixed range of seeds in CI).
 *
 * Every node applies committed entries to a MetadataStateMachine (metadata-sim-machine.ts; the
 * simulator's snapshots go through its snapshot()/restore()). Every node incarnation runs the
 * production ControllerDriver (server/controller/controller-driver.ts) on the simulated node
 * (a RaftClient) and the simulated clock (sim-clock.ts): the QuorumController is active on the
 * Raft leader and a hot standby elsewhere, and simulated brokers and an admin client send it
 * requests (metadata-clients.ts).
 *
 * Checked as the run goes (besides every Raft invariant of invariants.ts):
 *  - Determinism: equal applied offsets give equal imageHash on every node (invariants.ts);
 *  - the image invariants and one leader per (topicId, partitionId, leaderEpoch) across all
 *    nodes (metadata-invariants.ts), on every node's image after each applied batch, and on
 *    the image after every single committed entry (a replay of the committed log as it grows);
 *  - an acknowledged write's entry is the one committed at its predicted offset.
 * Checked at the end, after healing and converging:
 *  - every node has the same imageHash at the same provenance (up to LeaderChange entries:
 *    see metadata-invariants.ts), and that image is the replay
 *    of the whole committed log from an empty image (so snapshots lost nothing);
 *  - every acknowledged request's effect is in the final image: created topics exist unless
 *    some committed entry removed them, deleted topics are gone, partition counts, broker
 *    epochs, partition epochs and producer id blocks are at least what the client was told.
 */
import {
  controllerConfig, decodeRecords, encodeRecords, FencingChange, imageHash, MetadataStateMachine,
} from '../../metadata/index.js';
import type {
  ControllerConfig, ControllerResponse, MetadataImage,
} from '../../metadata/index.js';
import { QuorumController } from '../../metadata/index.js';
import type { LogEntry, NodeId } from '../../raft/core/types.js';
import { EntryKind } from '../../raft/core/types.js';
import type { DriverLimits } from '../../raft/driver/index.js';
import { ControllerDriver } from '../../server/controller/controller-driver.js';
import { dataHash, InvariantViolation } from './invariants.js';
import { CLUSTER_ID, MetadataClients } from './metadata-clients.js';
import type { Committed, Expectation } from './metadata-clients.js';
import { MetadataInvariants } from './metadata-invariants.js';
import { metadataStateMachines } from './metadata-sim-machine.js';
import type { MetadataSimMachine } from './metadata-sim-machine.js';
import { simClock } from './sim-clock.js';
import { TICK_MS, type SimNode } from './sim-node.js';
import { pick, runWorkload } from './simulation.js';
import type {
  RaftSettings, SimulationContext, SimulationOptions, SimulationResult, Workload,
} from './simulation.js';

export const METADATA_FLAG = '--metadata';
const HEARTBEAT_INTERVAL_MS = 100;
const METADATA_VERSION_LEVEL = 21;
/** Tens to hundreds of bytes per metadata entry where a toy one has 4. */
const ENTRY_SIZE_SCALE = 64;
/** The id the replay of the committed log is checked under (real node ids start at 1). */
const REFERENCE_NODE = 0;

/** What every node's controller driver is configured with (drawn once per run). */
interface DriverSettings {
  readonly config: ControllerConfig;
  readonly idleIntervalMs: number;
  readonly emptyWriteTimeoutMs: number;
}

/** One node incarnation's controller driver (a restart gets a fresh one: it is memory). */
interface Incarnation {
  readonly incarnation: number;
  readonly driver: ControllerDriver;
}

export interface MetadataSimulationResult extends SimulationResult {
  readonly activations: number;
  readonly topicsCreated: number;
  readonly leaderEpochsSeen: number;
  readonly brokersFenced: number;
  readonly finalTopics: number;
}

interface Acknowledged {
  readonly offset: number;
  readonly epoch: number;
  /** Undefined for a write without records (it only waited for an offset). */
  readonly dataHash: number | undefined;
  readonly expectations: readonly Expectation[];
}

function violated(rule: string, detail: string): never {
  throw new InvariantViolation(`${rule}: ${detail}`);
}

class MetadataWorkload implements Workload<MetadataSimMachine> {
  readonly machines = metadataStateMachines;
  readonly invariants = new MetadataInvariants();
  readonly acknowledgedWrites: Acknowledged[] = [];
  /** Every committed entry, by offset (each is applied somewhere before any snapshot has it). */
  readonly committed = new Map<number, LogEntry>();
  readonly counters = { proposals: 0, topicsCreated: 0, brokersFenced: 0, finalTopics: 0 };
  readonly #drivers = new Map<NodeId, Incarnation>();
  #activationsRetired = 0;
  /** The committed log replayed entry by entry, as far as every entry is known. */
  readonly #reference = new MetadataStateMachine();
  #referenceEnd = 0;
  #context!: SimulationContext<MetadataSimMachine>;
  #settings!: DriverSettings;
  #clients!: MetadataClients;

  /**
   * A metadata entry is tens to hundreds of bytes where a toy one is 4: the seed's tiny
   * uncommitted-bytes limits (16, 64) would refuse every write, so they scale with the size.
   * So do snapshot chunks: a metadata snapshot is kilobytes, and at 8 bytes a chunk its
   * transfer outlasts the few NoOpRecords after which the leader compacts past it again, so
   * a follower would never catch up with a leader whose log keeps growing (seed 418449006).
   */
  raftConfig(config: RaftSettings): RaftSettings {
    return {
      ...config,
      maxUncommittedBytes: ENTRY_SIZE_SCALE * config.maxUncommittedBytes,
      snapshotChunkBytes: ENTRY_SIZE_SCALE * config.snapshotChunkBytes,
    };
  }

  driverLimits(limits: DriverLimits): DriverLimits {
    return {
      ...limits,
      maxBatchBytes: ENTRY_SIZE_SCALE * limits.maxBatchBytes,
      maxBufferedProposalBytes: ENTRY_SIZE_SCALE * limits.maxBufferedProposalBytes,
    };
  }

  get proposals(): number {
    return this.counters.proposals;
  }

  get acknowledged(): number {
    return this.acknowledgedWrites.length;
  }

  get activations(): number {
    let sum = this.#activationsRetired;
    for (const { driver } of this.#drivers.values()) sum += driver.activations;
    return sum;
  }

  start(context: SimulationContext<MetadataSimMachine>): void {
    this.#context = context;
    const { prng, queue } = context;
    const sessionTimeoutMs = prng.nextInt(300, 1200);
    this.#settings = {
      config: controllerConfig({ clusterId: CLUSTER_ID, brokerSessionTimeoutMs: sessionTimeoutMs }),
      // metadata.max.idle.interval.ms: Kafka's 500 ms, twice that, or no NoOpRecords at all.
      idleIntervalMs: pick(prng, [0, 500, 1000]),
      emptyWriteTimeoutMs: prng.nextInt(30, 300) * TICK_MS,
    };
    for (const node of context.nodes.values()) this.started(node);
    const host = {
      queue,
      prng,
      route: (target: NodeId) => this.#route(target),
      send: <T>(
        target: NodeId,
        response: ControllerResponse<T>,
        acked: (reply: T, committed: Committed) => readonly Expectation[],
      ) => this.#send(target, response, acked),
    };
    const brokers = prng.nextInt(3, 7);
    this.#clients = new MetadataClients(host, brokers, sessionTimeoutMs, pick(prng, context.all));
    this.#clients.start();
  }

  /** A node (re)started: its incarnation gets a controller driver of its own. */
  started(node: SimNode<MetadataSimMachine>): void {
    // The nodes start before the workload does; start() catches up on them.
    if (this.#context === undefined) return;
    this.#retire(node.id);
    const incarnation = node.incarnation;
    const { queue, prng } = this.#context;
    const driver = new ControllerDriver({
      raft: node,
      stateMachine: node.sm.machine,
      controller: new QuorumController({
        config: this.#settings.config, prng: prng.fork(), image: node.sm.image,
      }),
      bootstrapMetadataVersionLevel: METADATA_VERSION_LEVEL,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      idleIntervalMs: this.#settings.idleIntervalMs,
      emptyWriteTimeoutMs: this.#settings.emptyWriteTimeoutMs,
      log: () => undefined,
      clock: simClock(queue, () => node.alive && node.incarnation === incarnation),
    });
    this.#drivers.set(node.id, { incarnation, driver });
  }

  #retire(id: NodeId): void {
    const retired = this.#drivers.get(id);
    if (retired === undefined) return;
    this.#drivers.delete(id);
    retired.driver.close();
    this.#activationsRetired += retired.driver.activations;
  }

  /** The driver of a live node's current incarnation. */
  #driver(node: SimNode<MetadataSimMachine>): ControllerDriver | undefined {
    const current = this.#drivers.get(node.id);
    return node.alive && current?.incarnation === node.incarnation ? current.driver : undefined;
  }

  #route(target: NodeId): QuorumController | NodeId {
    const { nodes, prng, all } = this.#context;
    const node = nodes.get(target)!;
    const controller = this.#driver(node)?.controller;
    if (controller?.isActive === true) return controller;
    const hint = node.alive ? node.core.quorumState.leaderId : -1;
    return hint >= 0 && hint !== target && prng.chance(0.9) ? hint : pick(prng, all);
  }

  #send<T>(
    target: NodeId,
    response: ControllerResponse<T>,
    acked: (reply: T, committed: Committed) => readonly Expectation[],
  ): void {
    if (!response.ok) return;
    const driver = this.#driver(this.#context.nodes.get(target)!)!;
    const hasRecords = response.records.length > 0;
    if (hasRecords) this.counters.proposals += 1;
    // The bytes the driver proposes (encodeRecords is deterministic).
    const data = hasRecords ? dataHash(encodeRecords(response.records)) : undefined;
    driver.submit(response, (outcome) => {
      if (!outcome.ok) return;
      const committed = { offset: outcome.offset, epoch: outcome.epoch };
      const expectations = acked(outcome.reply, committed);
      const write = { ...committed, dataHash: data, expectations };
      this.acknowledgedWrites.push(write);
      if (data !== undefined) this.#checkAcknowledged(write);
    });
  }

  /** The acknowledged entry is the one committed at its offset (CommittedWriteOnce holds). */
  #checkAcknowledged(write: Acknowledged): void {
    const entry = this.committed.get(write.offset);
    const same = entry !== undefined && entry.epoch === write.epoch &&
      dataHash(entry.data) === write.dataHash;
    if (!same)
      violated('AcknowledgedCommitted', `write acknowledged at ${write.offset}@${write.epoch}`);
  }

  afterEvent(): void {}

  applied(node: SimNode<MetadataSimMachine>, entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      if (!this.committed.has(entry.offset)) this.committed.set(entry.offset, entry);
    }
    this.#advanceReference();
    this.#check(node);
  }

  /** Replays newly known committed entries one by one, checking the image after each. */
  #advanceReference(): void {
    for (;;) {
      const entry = this.committed.get(this.#referenceEnd);
      if (entry === undefined) return;
      this.#reference.apply([entry]);
      this.#referenceEnd += 1;
      this.invariants.check(REFERENCE_NODE, 0, this.#referenceEnd, this.#reference.image);
    }
  }

  snapshotInstalled(node: SimNode<MetadataSimMachine>): void {
    this.#check(node);
  }

  #check(node: SimNode<MetadataSimMachine>): void {
    this.invariants.check(node.id, node.incarnation, node.sm.appliedOffset, node.sm.image);
  }

  crashed(node: SimNode<MetadataSimMachine>): void {
    this.#retire(node.id);
  }

  stopClients(): void {
    this.#clients.stop();
  }

  converged(): boolean {
    return true;
  }

  checkFinal(): void {
    const nodes = [...this.#context.nodes.values()];
    const first = nodes[0]!;
    const reference = { offset: first.sm.appliedOffset, hash: first.sm.hash };
    const provenance = first.sm.image.provenance;
    for (const node of nodes) {
      const { appliedOffset, hash, image } = node.sm;
      if (appliedOffset !== reference.offset || hash !== reference.hash)
        violated('FinalImage', `node ${node.id} has ${hash}@${appliedOffset}, node ${first.id} ` +
          `${reference.hash}@${reference.offset}`);
      if (!this.invariants.equivalent(image.provenance, provenance))
        violated('FinalImage', `node ${node.id} provenance ${image.provenance.offset}@` +
          `${image.provenance.epoch}, node ${first.id} ${provenance.offset}@${provenance.epoch}`);
      this.#check(node);
    }
    const replayed = this.#replay(reference.offset);
    if (imageHash(replayed) !== reference.hash)
      violated('FinalImage', `the replay of the committed log differs from the nodes' image`);
    this.#checkExpectations(first.sm.image);
    this.counters.finalTopics = first.sm.image.topics.byId.size;
  }

  /** The committed log from offset 0, applied to an empty image. */
  #replay(endOffset: number): MetadataImage {
    const machine = new MetadataStateMachine();
    for (let offset = 0; offset < endOffset; offset++) {
      const entry = this.committed.get(offset);
      if (entry === undefined) violated('FinalImage', `no node applied committed offset ${offset}`);
      machine.apply([entry]);
    }
    return machine.image;
  }

  #checkExpectations(image: MetadataImage): void {
    const removed = new Set<string>();
    for (const entry of this.committed.values()) {
      if (entry.kind !== EntryKind.data) continue;
      const decoded = decodeRecords(entry.data);
      if (!decoded.ok) continue;
      for (const record of decoded.records) {
        if (record.type === 'RemoveTopicRecord') removed.add(record.topicId);
        if (record.type === 'TopicRecord') this.counters.topicsCreated += 1;
        if (record.type === 'BrokerRegistrationChangeRecord' &&
          record.fenced === FencingChange.fence) this.counters.brokersFenced += 1;
      }
    }
    for (const write of this.acknowledgedWrites) {
      for (const expectation of write.expectations) {
        const failure = unmet(expectation, image, removed);
        if (failure !== undefined) {
          violated('AcknowledgedInImage', `${expectation.kind} acknowledged at offset ` +
            `${write.offset}: ${failure}`);
        }
      }
    }
  }
}

/** Why the final image does not show what the client was told, or undefined. */
function unmet(
  e: Expectation, image: MetadataImage, removed: ReadonlySet<string>,
): string | undefined {
  const topics = image.topics.byId;
  switch (e.kind) {
    case 'topicCreated':
      return topics.has(e.topicId) || removed.has(e.topicId) ? undefined : `${e.topicId} missing`;
    case 'topicDeleted':
      return topics.has(e.topicId) ? `${e.topicId} still exists` : undefined;
    case 'partitions': {
      const count = topics.get(e.topicId)?.partitions.length;
      if (count === undefined) return removed.has(e.topicId) ? undefined : `${e.topicId} missing`;
      return count >= e.count ? undefined : `${count} partitions, told ${e.count}`;
    }
    case 'broker': {
      const epoch = image.cluster.brokers.get(e.brokerId)?.brokerEpoch ?? -1;
      return epoch >= e.brokerEpoch ? undefined : `broker ${e.brokerId} epoch ${epoch}`;
    }
    case 'partitionEpoch': {
      const partition = topics.get(e.topicId)?.partitions[e.partitionId];
      if (partition === undefined) return removed.has(e.topicId) ? undefined : 'partition missing';
      return partition.partitionEpoch >= e.partitionEpoch ? undefined
        : `partition epoch ${partition.partitionEpoch} < ${e.partitionEpoch}`;
    }
    case 'producerIds':
      return image.producerIds.nextProducerId >= e.next ? undefined
        : `next producer id ${image.producerIds.nextProducerId} < ${e.next}`;
  }
}

/** One seeded metadata run; a failure throws SimulationFailure with the seed and the replay. */
export function runMetadataSimulation(options: SimulationOptions): MetadataSimulationResult {
  const workload = new MetadataWorkload();
  const result = runWorkload(options, workload, METADATA_FLAG);
  return {
    ...result,
    activations: workload.activations,
    topicsCreated: workload.counters.topicsCreated,
    leaderEpochsSeen: workload.invariants.leaderEpochsSeen,
    brokersFenced: workload.counters.brokersFenced,
    finalTopics: workload.counters.finalTopics,
  };
}
