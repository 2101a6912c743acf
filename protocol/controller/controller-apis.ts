/**
 * The names of the controller API (brokers and tools to the active controller, KIP-590), what
 * one API is (its request schema and the schema of its reply's own fields), and the shape
 * every reply shares. server/controller/controller-api.ts serves them; the broker's
 * ControllerChannel calls them; codec.ts validates both directions.
 */
import type { z } from 'zod';
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
export type ControllerApiName = (typeof ControllerApi)[keyof typeof ControllerApi];

/**
 * Every controller reply: the outcome, the leader hint, and the api's own fields, which a
 * successful reply always has and an error reply never has.
 */
export type ControllerReply<T = Record<string, unknown>> = WireError & {
  readonly leaderId: number;
} & Partial<T>;

export interface ControllerApiDefinition<Name extends ControllerApiName, Request, Fields> {
  readonly name: Name;
  readonly request: z.ZodType<Request>;
  /** The api's own fields of a successful reply, next to the outcome and leaderId. */
  readonly reply: z.ZodType<Fields>;
}

export function defineControllerApi<Name extends ControllerApiName, Request, Fields>(
  definition: ControllerApiDefinition<Name, Request, Fields>,
): ControllerApiDefinition<Name, Request, Fields> {
  return definition;
}
