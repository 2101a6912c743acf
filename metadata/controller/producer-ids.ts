/**
 * AllocateProducerIds (KIP-730, Kafka's ProducerIdControlManager): hands a broker the next
 * block of producer ids for idempotent and transactional producers. The ProducerIdsRecord
 * moves nextProducerId past the block, so no id is handed out twice, whichever controller
 * is active.
 */
import type { MetadataImage } from '../image/image-types.js';
import { brokerEpochError } from './brokers.js';
import type { ControllerConfig } from './controller-config.js';
import { failed, ok, type ControllerResult } from './errors.js';

export interface AllocateProducerIdsRequest {
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

export interface AllocateProducerIdsReply {
  readonly producerIdStart: number;
  readonly producerIdLen: number;
}

export function allocateProducerIds(
  image: MetadataImage, config: ControllerConfig, request: AllocateProducerIdsRequest,
): ControllerResult<AllocateProducerIdsReply> {
  const epochError = brokerEpochError(image, request.brokerId, request.brokerEpoch);
  if (epochError !== undefined) return { ok: false, error: epochError };
  const start = image.producerIds.nextProducerId;
  const length = config.producerIdBlockSize;
  if (start + length > Number.MAX_SAFE_INTEGER) {
    return failed('POLICY_VIOLATION', 'Producer ids are exhausted.');
  }
  return ok([{
    type: 'ProducerIdsRecord',
    brokerId: request.brokerId,
    brokerEpoch: request.brokerEpoch,
    nextProducerId: start + length,
  }], { producerIdStart: start, producerIdLen: length });
}
