/**
 * Broker states as the controller sees them (Kafka's BrokerControlState), derived from the
 * registration in the image, and the checks every broker request starts with.
 */
import type { BrokerRegistration, MetadataImage } from '../image/image-types.js';
import { apiError, type ApiError } from './errors.js';

export const BrokerControlState = {
  fenced: 'FENCED',
  unfenced: 'UNFENCED',
  controlledShutdown: 'CONTROLLED_SHUTDOWN',
  /** Not stored: the transition that fences a broker and tells it to stop. */
  shutdownNow: 'SHUTDOWN_NOW',
} as const;
export type BrokerControlState = (typeof BrokerControlState)[keyof typeof BrokerControlState];

export function brokerState(broker: BrokerRegistration): BrokerControlState {
  if (broker.fenced) return BrokerControlState.fenced;
  if (broker.inControlledShutdown) return BrokerControlState.controlledShutdown;
  return BrokerControlState.unfenced;
}

/** May lead partitions and join ISRs: registered, unfenced, not shutting down. */
export function isUsable(broker: BrokerRegistration | undefined): boolean {
  return broker !== undefined && !broker.fenced && !broker.inControlledShutdown;
}

/** The usable brokers' ids, sorted (replica placement walks them in this order). */
export function usableBrokerIds(image: MetadataImage): number[] {
  const ids: number[] = [];
  for (const broker of image.cluster.brokers.values()) {
    if (isUsable(broker)) ids.push(broker.brokerId);
  }
  return ids.sort((a, b) => a - b);
}

/** Kafka's ClusterControlManager.checkBrokerEpoch. */
export function brokerEpochError(
  image: MetadataImage, brokerId: number, brokerEpoch: number,
): ApiError | undefined {
  const broker = image.cluster.brokers.get(brokerId);
  if (broker === undefined) {
    return apiError('STALE_BROKER_EPOCH', `No broker registration found for broker ${brokerId}`);
  }
  if (broker.brokerEpoch !== brokerEpoch) {
    return apiError('STALE_BROKER_EPOCH',
      `Expected broker epoch ${broker.brokerEpoch}, but got broker epoch ${brokerEpoch}`);
  }
  return undefined;
}
