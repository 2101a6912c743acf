/**
 * BrokerHeartbeat (KIP-631; Kafka's BrokerHeartbeatManager.calculateNextBrokerState and
 * ReplicationControlManager.processBrokerHeartbeat):
 *  FENCED              -> SHUTDOWN_NOW if it wants to shut down; UNFENCED once it has caught
 *                         up to its own registration (currentMetadataOffset >= broker epoch)
 *                         and does not want to stay fenced.
 *  UNFENCED            -> FENCED if it asks; on wantShutDown CONTROLLED_SHUTDOWN while it leads
 *                         something (its leaderships move away), else SHUTDOWN_NOW.
 *  CONTROLLED_SHUTDOWN -> SHUTDOWN_NOW once it leads nothing and every unfenced broker has
 *                         reached the offset of the controlled-shutdown records.
 * SHUTDOWN_NOW fences the broker and answers shouldShutDown. A broker fenced while in
 * controlled shutdown must register again (a new incarnation) to be unfenced.
 */
import type { MetadataImage } from '../image/image-types.js';
import type { MetadataRecord } from '../records/record-types.js';
import {
  controlledShutdownRecords, fenceBrokerRecords, leadsAnyPartition, unfenceBrokerRecords,
} from './broker-fencing.js';
import type { BrokerSessions } from './broker-sessions.js';
import { BrokerControlState, brokerEpochError, brokerState } from './brokers.js';
import type { ControllerConfig } from './controller-config.js';
import { ok, type ControllerResult } from './errors.js';

export interface BrokerHeartbeatRequest {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  /** The offset of the last metadata record the broker has applied. */
  readonly currentMetadataOffset: number;
  readonly wantFence: boolean;
  readonly wantShutDown: boolean;
}

export interface BrokerHeartbeatReply {
  /** The broker has applied everything committed so far. */
  readonly isCaughtUp: boolean;
  readonly isFenced: boolean;
  readonly inControlledShutdown: boolean;
  readonly shouldShutDown: boolean;
}

export interface HeartbeatContext {
  readonly image: MetadataImage;
  readonly config: ControllerConfig;
  readonly sessions: BrokerSessions;
  readonly nowMs: number;
  /** The offset the records of this heartbeat would be written at. */
  readonly offset: number;
  /** The last committed offset (for isCaughtUp). */
  readonly committedOffset: number;
}

export function brokerHeartbeat(
  context: HeartbeatContext, request: BrokerHeartbeatRequest,
): ControllerResult<BrokerHeartbeatReply> {
  const { image, config, sessions } = context;
  const { brokerId } = request;
  const epochError = brokerEpochError(image, brokerId, request.brokerEpoch);
  if (epochError !== undefined) return { ok: false, error: epochError };
  sessions.touch(brokerId, context.nowMs, request.currentMetadataOffset);
  const broker = image.cluster.brokers.get(brokerId)!;
  const current = brokerState(broker);
  const next = nextState(context, request, current);
  let records: MetadataRecord[] = [];
  if (next !== current) {
    if (next === BrokerControlState.unfenced) {
      records = unfenceBrokerRecords(image, config, brokerId);
    } else if (next === BrokerControlState.controlledShutdown) {
      records = controlledShutdownRecords(image, config, brokerId);
      sessions.setControlledShutdownOffset(brokerId, context.offset);
    } else {
      records = fenceBrokerRecords(image, config, brokerId);
    }
  }
  return ok(records, {
    isCaughtUp: request.currentMetadataOffset >= context.committedOffset,
    isFenced: next === BrokerControlState.fenced || next === BrokerControlState.shutdownNow,
    inControlledShutdown: next === BrokerControlState.controlledShutdown,
    shouldShutDown: next === BrokerControlState.shutdownNow,
  });
}

function nextState(
  context: HeartbeatContext, request: BrokerHeartbeatRequest, current: BrokerControlState,
): BrokerControlState {
  const { image, sessions } = context;
  const broker = image.cluster.brokers.get(request.brokerId)!;
  switch (current) {
    case BrokerControlState.fenced:
      if (request.wantShutDown) return BrokerControlState.shutdownNow;
      if (!request.wantFence && !broker.inControlledShutdown &&
        request.currentMetadataOffset >= broker.brokerEpoch) return BrokerControlState.unfenced;
      return BrokerControlState.fenced;
    case BrokerControlState.unfenced:
      if (request.wantFence) {
        return request.wantShutDown ? BrokerControlState.shutdownNow : BrokerControlState.fenced;
      }
      if (!request.wantShutDown) return BrokerControlState.unfenced;
      return leadsAnyPartition(image, request.brokerId) ?
        BrokerControlState.controlledShutdown : BrokerControlState.shutdownNow;
    default: {
      if (leadsAnyPartition(image, request.brokerId)) return BrokerControlState.controlledShutdown;
      const shutdownOffset = sessions.controlledShutdownOffset(request.brokerId);
      return shutdownOffset <= sessions.lowestActiveOffset(image) ?
        BrokerControlState.shutdownNow : BrokerControlState.controlledShutdown;
    }
  }
}
