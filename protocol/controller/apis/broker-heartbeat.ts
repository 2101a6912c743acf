/**
 * brokerHeartbeat (BrokerHeartbeat, KIP-631): a registered broker reports how far it has
 * applied the metadata log and whether it wants to stay fenced or shut down; the controller
 * answers with the state it gave the broker.
 */
import { z } from 'zod';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import { brokerId, offset } from '../fields.js';

export const brokerHeartbeatRequestSchema = z.object({
  brokerId,
  brokerEpoch: offset,
  /** The offset of the last metadata record the broker has applied. */
  currentMetadataOffset: offset,
  wantFence: z.boolean(),
  wantShutDown: z.boolean(),
});

export const brokerHeartbeatReplySchema = z.object({
  /** The broker has applied everything committed so far. */
  isCaughtUp: z.boolean(),
  isFenced: z.boolean(),
  inControlledShutdown: z.boolean(),
  shouldShutDown: z.boolean(),
});

export const brokerHeartbeatControllerApi = defineControllerApi({
  name: ControllerApi.brokerHeartbeat,
  request: brokerHeartbeatRequestSchema,
  reply: brokerHeartbeatReplySchema,
});
