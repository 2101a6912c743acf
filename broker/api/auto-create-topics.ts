/**
 * auto.create.topics.enable (Kafka's AutoTopicCreationManager): a Metadata request that names
 * an unknown topic and allows auto-creation makes the broker ask the active controller to create
 * it with the cluster defaults (num.partitions, default.replication.factor), and answers that
 * topic with LEADER_NOT_AVAILABLE, a retriable code: the client asks again and finds the topic
 * once the creation has committed. Names Kafka would refuse, internal topics, and names already
 * being created are left alone; at most MAX_PENDING creations are in flight.
 */
import { isInternalTopic, topicNameError } from '../../protocol/index.js';
import { ControllerApi } from '../../protocol/controller/index.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { ControllerChannel } from '../controller-channel.js';

const MAX_PENDING = 1_000;
const CREATE_TIMEOUT_MS = 30_000;

export class AutoTopicCreator {
  readonly #pending = new Set<string>();

  constructor(
    private readonly channel: ControllerChannel,
    private readonly log: (line: string) => void,
  ) {}

  /** True when a creation of `name` was started or is under way (answer LEADER_NOT_AVAILABLE). */
  request(name: string): boolean {
    if (this.#pending.has(name)) return true;
    if (topicNameError(name) !== undefined || isInternalTopic(name)) return false;
    if (this.#pending.size >= MAX_PENDING) return false;
    this.#pending.add(name);
    void this.channel.call(
      ControllerApi.createTopics,
      { topics: [{ name, numPartitions: -1, replicationFactor: -1 }] }, CREATE_TIMEOUT_MS,
    ).then((reply) => {
      this.#pending.delete(name);
      const outcome = reply.errorCode === ErrorCode.NONE ? reply.topics?.[0] : reply;
      if (outcome !== undefined && outcome.errorCode !== ErrorCode.NONE &&
        outcome.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) {
        this.log(`Could not auto-create topic ${name}: ${outcome.error} ${outcome.message}`);
      }
    });
    return true;
  }
}
