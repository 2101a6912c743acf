/**
 * BrokerRegistration (KIP-631, Kafka's ClusterControlManager.registerBroker). The broker
 * epoch is the offset the RegisterBrokerRecord will be committed at, and the broker starts
 * fenced. A live registration of another incarnation (a second process with the same
 * node.id) is refused; once it is fenced or its session expired the new incarnation replaces
 * it, and the old one's leaderships and ISR places end in the same entry (Kafka's
 * handleBrokerUncleanShutdown with ELR off). The same incarnation registering again (a retried request) gets the same
 * epoch back and writes nothing.
 */
import type { MetadataImage } from '../image/image-types.js';
import type { EndPoint, MetadataRecord } from '../records/record-types.js';
import type { BrokerSessions } from './broker-sessions.js';
import type { ControllerConfig } from './controller-config.js';
import { failed, ok, type ControllerResult } from './errors.js';
import { brokerRemovalChanges } from './partition-changes.js';

export interface BrokerRegistrationRequest {
  readonly brokerId: number;
  readonly clusterId: string;
  readonly incarnationId: string;
  readonly listeners: readonly EndPoint[];
  readonly rack: string | null;
  readonly logDirs: readonly string[];
}

export interface BrokerRegistrationReply {
  readonly brokerEpoch: number;
}

export function registerBroker(
  image: MetadataImage, config: ControllerConfig, sessions: BrokerSessions,
  request: BrokerRegistrationRequest, nowMs: number, offset: number,
): ControllerResult<BrokerRegistrationReply> {
  if (request.clusterId !== config.clusterId) {
    return failed('INCONSISTENT_CLUSTER_ID',
      `Expected cluster ID ${config.clusterId}, but got cluster ID ${request.clusterId}`);
  }
  const { brokerId } = request;
  const existing = image.cluster.brokers.get(brokerId);
  if (existing !== undefined && existing.incarnationId === request.incarnationId) {
    return ok([], { brokerEpoch: existing.brokerEpoch });
  }
  // Kafka's BrokerHeartbeatManager: a fenced broker has no valid session, so a restarted
  // process may replace a registration that controlled shutdown or expiry already fenced.
  if (existing !== undefined && !existing.fenced && sessions.hasValidSession(brokerId, nowMs)) {
    return failed('DUPLICATE_BROKER_REGISTRATION',
      'Another broker is registered with that broker id.');
  }
  const records: MetadataRecord[] = existing === undefined || existing.fenced ?
    [] : brokerRemovalChanges(image, config, brokerId);
  records.push({
    type: 'RegisterBrokerRecord',
    brokerId,
    incarnationId: request.incarnationId,
    brokerEpoch: offset,
    endPoints: request.listeners,
    rack: request.rack,
    fenced: true,
    inControlledShutdown: false,
    logDirs: request.logDirs,
  });
  sessions.register(brokerId, nowMs);
  return ok(records, { brokerEpoch: offset });
}
