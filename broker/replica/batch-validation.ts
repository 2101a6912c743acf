/**
 * The broker's check of produced bytes before any of them is appended (Kafka's LogValidator,
 * without decoding records): one or more whole v2 batches, each within max.message.bytes, with
 * magic 2 and an intact CRC-32C. A partition's records are appended all or nothing, so the
 * check covers every batch first.
 */
import { ErrorCode } from '../../protocol/index.js';
import {
  batchBytesAt, checkBatch, LOG_OVERHEAD, MAGIC_V2, Offsets,
} from '../../protocol/records/index.js';

export type ProducedBatchesCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly errorCode: number; readonly message: string };

function failed(errorCode: number, message: string): ProducedBatchesCheck {
  return { ok: false, errorCode, message };
}

export function checkProducedBatches(
  bytes: Uint8Array, maxMessageBytes: number, segmentBytes: number,
): ProducedBatchesCheck {
  if (bytes.length === 0) return failed(ErrorCode.CORRUPT_MESSAGE, 'records: no record batch');
  if (bytes.length > segmentBytes) {
    return failed(ErrorCode.RECORD_LIST_TOO_LARGE,
      `records: ${bytes.length} bytes exceed segment.bytes ${segmentBytes}`);
  }
  for (let at = 0, index = 0; at < bytes.length; index++) {
    const where = `records batch ${index}`;
    if (bytes.length - at <= Offsets.magic) {
      return failed(ErrorCode.CORRUPT_MESSAGE, `${where}: truncated header`);
    }
    const size = batchBytesAt(bytes, at);
    if (size > maxMessageBytes) {
      return failed(ErrorCode.MESSAGE_TOO_LARGE,
        `${where}: ${size} bytes exceed max.message.bytes ${maxMessageBytes}`);
    }
    const magic = bytes[at + Offsets.magic];
    if (magic !== MAGIC_V2) {
      return failed(ErrorCode.INVALID_RECORD, `${where}: magic ${magic}, only 2 is accepted`);
    }
    const check = checkBatch(bytes, at, { maxBatchBytes: maxMessageBytes });
    if (!check.ok) return failed(ErrorCode.CORRUPT_MESSAGE, `${where}: ${check.message}`);
    if (check.size <= LOG_OVERHEAD) return failed(ErrorCode.CORRUPT_MESSAGE, `${where}: empty`);
    at += check.size;
  }
  return { ok: true };
}
