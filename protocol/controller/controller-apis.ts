/**
 * The names of the controller API (brokers and tools to the active controller, KIP-590) and the
 * shape every reply shares. server/controller/controller-api.ts serves them; the broker's
 * ControllerChannel calls them.
 */
import type { WireError } from './wire-error.js';

export const ControllerApi = {
  createTopics: 'createTopics',
  deleteTopics: 'deleteTopics',
  createPartitions: 'createPartitions',
  registerBroker: 'registerBroker',
  brokerHeartbeat: 'brokerHeartbeat',
  alterPartition: 'alterPartition',
  describeQuorum: 'describeQuorum',
  metadataImage: 'metadataImage',
} as const;

/** Every controller reply: the outcome, the leader hint, and the api's own fields. */
export type ControllerReply<T = Record<string, unknown>> = WireError & {
  readonly leaderId: number;
} & Partial<T>;
