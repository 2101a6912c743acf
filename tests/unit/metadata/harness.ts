/**
 * A controller wired to a state machine the way the runtime will wire them, minus Raft:
 * writes are "committed" by encoding them into log entries at the offsets the controller
 * gave them and applying those entries. The log is kept so other state machines can replay it.
 */
import { createPrng } from '../../../lib/prng.js';
import { randomUuid } from '../../../lib/uuid.js';
import { EntryKind, type LogEntry } from '../../../raft/core/types.js';
import {
  controllerConfig, encodeRecords, MetadataStateMachine, QuorumController,
  type ControllerConfig, type ControllerResponse, type ControllerWrite,
} from '../../../metadata/index.js';

export const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';

export interface HarnessOptions {
  readonly seed?: number;
  readonly config?: Partial<ControllerConfig>;
}

export class ControllerHarness {
  readonly machine = new MetadataStateMachine();
  readonly controller: QuorumController;
  readonly log: LogEntry[] = [];
  readonly epoch = 1;
  readonly #incarnations = createPrng(99);

  constructor(options: HarnessOptions = {}) {
    this.controller = new QuorumController({
      config: controllerConfig({ clusterId: CLUSTER_ID, ...options.config }),
      prng: createPrng(options.seed ?? 1),
    });
    this.machine.subscribe((_delta, image) => this.controller.onCommitted(image));
    this.controller.activate(0, 0);
  }

  get image() {
    return this.machine.image;
  }

  /** Commits a successful response's records (if any) and returns the reply. */
  commit<T>(response: ControllerResponse<T>): T {
    if (!response.ok) throw new Error(`${response.error.error}: ${response.error.message}`);
    this.commitWrite(response);
    return response.reply;
  }

  commitWrite<T>(write: ControllerWrite<T>): void {
    if (write.records.length === 0) return;
    const entry: LogEntry = {
      offset: write.offset, epoch: this.epoch, kind: EntryKind.data,
        data: encodeRecords(write.records),
    };
    this.log.push(entry);
    this.machine.apply([entry]);
  }

  newIncarnationId(): string {
    return randomUuid(2, (n) => Uint8Array.from({ length: n }, () => this.#incarnations.nextInt(0,
      256)));
  }

  /** Registers a broker and heartbeats it until unfenced; returns its broker epoch. */
  addBroker(brokerId: number, nowMs = 0, rack: string | null = null): number {
    const { brokerEpoch } = this.commit(this.controller.registerBroker({
      brokerId,
      clusterId: CLUSTER_ID,
      incarnationId: this.newIncarnationId(),
      listeners: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092 + brokerId,
        securityProtocol: 'PLAINTEXT' }],
      rack,
      logDirs: [`/tmp/kafka-logs-${brokerId}`],
    }, nowMs));
    this.heartbeat(brokerId, brokerEpoch, nowMs);
    return brokerEpoch;
  }

  heartbeat(brokerId: number, brokerEpoch: number, nowMs: number,
    want: { fence?: boolean; shutDown?: boolean } = {}) {
    return this.commit(this.controller.brokerHeartbeat({
      brokerId,
      brokerEpoch,
      currentMetadataOffset: this.image.provenance.offset,
      wantFence: want.fence ?? false,
      wantShutDown: want.shutDown ?? false,
    }, nowMs));
  }

  createTopic(name: string, numPartitions: number, replicationFactor: number, configs = {}) {
    const [result] = this.commit(this.controller.createTopics([{ name, numPartitions,
      replicationFactor, configs }]));
    if (result === undefined ||
      !result.ok) throw new Error(`create ${name}: ${JSON.stringify(result)}`);
    return result;
  }

  topic(name: string) {
    const topic = this.image.topics.byName.get(name);
    if (topic === undefined) throw new Error(`no topic ${name}`);
    return topic;
  }
}
