/**
 * registerBroker (BrokerRegistration, KIP-631): a starting broker names its cluster, its
 * incarnation, its listeners, rack and log directories; the controller answers with the
 * broker epoch (the offset of its RegisterBrokerRecord), or INCONSISTENT_CLUSTER_ID,
 * DUPLICATE_BROKER_REGISTRATION, ...
 */
import { z } from 'zod';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import { brokerId, listOf, MAX_LIST_ENTRIES, offset, text } from '../fields.js';

export const registerBrokerRequestSchema = z.object({
  brokerId,
  clusterId: text,
  incarnationId: text,
  listeners: listOf(z.object({
    name: text, host: text, port: z.number().int().min(0).max(65535), securityProtocol: text,
  }), MAX_LIST_ENTRIES),
  rack: text.nullable(),
  logDirs: listOf(text, MAX_LIST_ENTRIES),
});

export const registerBrokerReplySchema = z.object({ brokerEpoch: offset });

export const registerBrokerControllerApi = defineControllerApi({
  name: ControllerApi.registerBroker,
  request: registerBrokerRequestSchema,
  reply: registerBrokerReplySchema,
});
