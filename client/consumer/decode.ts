/**
 * Fetched record bytes to KafkaJS messages. A fetch answer holds whole stored batches, so the
 * first may start before the fetch offset: records below it are skipped (Kafka's consumer does
 * the same). Each batch's CRC is checked before decoding (Java's check.crcs, on by default);
 * control batches carry no user records and are passed over. A partial batch at the end (the
 * broker cut at the byte limit) is left for the next fetch.
 */
import {
  batchesIn, checkBatch, decodeRecordBatch, isControl, lastOffsetOf, RecordBatchError,
} from '../../protocol/records/index.js';
import type { ConsumedRecord } from '../../protocol/records/index.js';
import type { KafkaMessage, MessageHeaders } from './types.js';

export interface DecodedPartition {
  readonly messages: KafkaMessage[];
  /** The offset after the last whole batch read; undefined when none was. */
  readonly nextOffset: number | undefined;
}

function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset,
    bytes.byteLength);
}

function headersOf(record: ConsumedRecord): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const header of record.headers) {
    const value = asBuffer(header.value);
    const earlier = headers[header.key];
    if (earlier === undefined) headers[header.key] = value;
    else if (Array.isArray(earlier)) { if (value !== null) earlier.push(value); }
    else headers[header.key] = [earlier, value].filter((v): v is Buffer => v !== null);
  }
  return headers;
}

/** Messages at or after `fromOffset` in `records`. Throws RecordBatchError on a bad batch. */
export function decodeFetched(records: Uint8Array | null, fromOffset: number): DecodedPartition {
  const messages: KafkaMessage[] = [];
  let nextOffset: number | undefined;
  if (records === null) return { messages, nextOffset };
  for (const { at, header } of batchesIn(records)) {
    const lastOffset = lastOffsetOf(header);
    nextOffset = lastOffset + 1;
    if (lastOffset < fromOffset || isControl(header)) continue;
    const check = checkBatch(records, at);
    if (!check.ok) {
      throw new RecordBatchError(`batch at offset ${header.baseOffset}: ${check.message}`);
    }
    for (const record of decodeRecordBatch(records, at).records) {
      if (record.offset < fromOffset) continue;
      messages.push({
        key: asBuffer(record.key),
        value: asBuffer(record.value),
        headers: headersOf(record),
        timestamp: String(record.timestampMs),
        offset: String(record.offset),
        attributes: header.attributes,
      });
    }
  }
  return { messages, nextOffset };
}
