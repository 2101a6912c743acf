/**
 * Record batch v2 (KIP-98) encoding for the producer and decoding for the consumer, on top of the
 * header in batch-header.ts.
 *
 * Each record inside a batch is:
 *   length varint, attributes int8 (unused, 0), timestampDelta varlong, offsetDelta varint,
 *   keyLength varint (-1 = null), key, valueLength varint (-1 = null), value,
 *   headerCount varint, then per header: keyLength varint, UTF-8 key, valueLength varint
 *   (-1 = null), value.
 * With compression the records section (everything after the 61-byte header) is compressed as
 * one unit; the header stays plain and the CRC covers the compressed bytes.
 *
 * The producer encodes a batch once: sizes are computed first and the records are written into
 * one preallocated buffer. The broker stamps baseOffset and partitionLeaderEpoch later
 * (stampBatch), so the producer writes 0 and -1. Decoding an uncompressed batch returns keys and
 * values as subarray views into the caller's bytes; a consumer that keeps them past the life of
 * the fetch buffer must copy them. Decoding does not check the CRC: run checkBatch first on bytes
 * from an untrusted source.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { assert } from '../../lib/assert.js';
import { crc32c } from '../../lib/crc32c.js';
import {
  Attributes, BATCH_HEADER_BYTES, COMPRESSION_NAMES, CRC_START, Compression, LOG_OVERHEAD,
  MAGIC_V2, Offsets, compressionOf, isLogAppendTime, readBatchHeader, viewOf, writeInt64,
  type BatchHeader,
} from './batch-header.js';
import { RecordBatchError } from './errors.js';
import {
  readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong, type Cursor,
} from './varint.js';

export { RecordBatchError } from './errors.js';

export interface RecordHeader {
  key: string;
  value: Uint8Array | null;
}

export interface ProducerRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: readonly RecordHeader[];
  timestampMs: number;
}

export interface EncodeBatchOptions {
  compression?: 'none' | 'gzip';
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
}

export interface ConsumedRecord {
  offset: number;
  timestampMs: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: RecordHeader[];
}

export interface DecodeBatchOptions {
  /** Largest records section a compressed batch may inflate to (a guard against zip bombs). */
  decompressedBytesMax?: number;
}

/** The fewest bytes one record can take: length, attributes, 3 varints, 2 null lengths. */
const RECORD_BYTES_MIN = 7;

/** Buffer.byteLength counts UTF-8 bytes without encoding; TextEncoder has no such call. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function bytesLengthSize(bytes: Uint8Array | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

/** The size of a record's body (everything its length prefix counts). */
function recordBodyBytes(record: ProducerRecord, index: number, baseTimestamp: number): number {
  let size = 1 + sizeOfVarlong(record.timestampMs - baseTimestamp) + sizeOfVarint(index);
  size += bytesLengthSize(record.key) + bytesLengthSize(record.value);
  const headers = record.headers;
  size += sizeOfVarint(headers === undefined ? 0 : headers.length);
  if (headers !== undefined) {
    for (const header of headers) {
      const keyBytes = utf8Length(header.key);
      size += sizeOfVarint(keyBytes) + keyBytes + bytesLengthSize(header.value);
    }
  }
  return size;
}

function writeBytes(out: Uint8Array, at: number, bytes: Uint8Array | null): number {
  if (bytes === null) return writeVarint(out, at, -1);
  at = writeVarint(out, at, bytes.length);
  out.set(bytes, at);
  return at + bytes.length;
}

function writeRecord(
  out: Buffer, at: number, record: ProducerRecord, index: number, baseTimestamp: number,
  bodyBytes: number,
): number {
  at = writeVarint(out, at, bodyBytes);
  out[at++] = 0; // Record attributes: unused in v2, always 0.
  at = writeVarlong(out, at, record.timestampMs - baseTimestamp);
  at = writeVarint(out, at, index);
  at = writeBytes(out, at, record.key);
  at = writeBytes(out, at, record.value);
  const headers = record.headers;
  at = writeVarint(out, at, headers === undefined ? 0 : headers.length);
  if (headers !== undefined) {
    for (const header of headers) {
      at = writeVarint(out, at, utf8Length(header.key));
      at += out.write(header.key, at, 'utf8');
      at = writeBytes(out, at, header.value);
    }
  }
  return at;
}

/** Rejects what the caller got wrong (external input: a user's records), naming the field. */
function checkProducerRecords(records: readonly ProducerRecord[]): void {
  if (records.length === 0) throw new RecordBatchError('records: a batch needs at least one');
  for (let i = 0; i < records.length; i++) {
    const timestampMs = records[i]!.timestampMs;
    if (!Number.isSafeInteger(timestampMs)) {
      throw new RecordBatchError(
        `records[${i}].timestampMs: expected an integer, found ${timestampMs}`,
      );
    }
  }
}

/**
 * Encodes records as one v2 batch with baseOffset 0 and partitionLeaderEpoch -1, for the broker to
 * stamp. Throws RecordBatchError on an empty list or a non-integer timestamp.
 */
export function encodeRecordBatch(
  records: readonly ProducerRecord[], options?: EncodeBatchOptions,
): Uint8Array<ArrayBuffer> {
  checkProducerRecords(records);
  const baseTimestamp = records[0]!.timestampMs;
  let maxTimestamp = baseTimestamp;
  const bodySizes = new Array<number>(records.length);
  let recordsBytes = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.timestampMs > maxTimestamp) maxTimestamp = record.timestampMs;
    const body = recordBodyBytes(record, i, baseTimestamp);
    bodySizes[i] = body;
    recordsBytes += sizeOfVarint(body) + body;
  }
  const gzip = options?.compression === 'gzip';
  // Uncompressed records go straight after the header; gzip needs them on their own first.
  const out = Buffer.allocUnsafe(gzip ? recordsBytes : BATCH_HEADER_BYTES + recordsBytes);
  let at = gzip ? 0 : BATCH_HEADER_BYTES;
  for (let i = 0; i < records.length; i++) {
    at = writeRecord(out, at, records[i]!, i, baseTimestamp, bodySizes[i]!);
  }
  assert(at === out.length, `record sizes: computed ${out.length} bytes, wrote ${at}`);
  let batch = out;
  if (gzip) {
    const compressed = gzipSync(out);
    batch = Buffer.allocUnsafe(BATCH_HEADER_BYTES + compressed.length);
    batch.set(compressed, BATCH_HEADER_BYTES);
  }
  let attributes = gzip ? Compression.gzip : Compression.none;
  if (options?.transactional === true) attributes |= Attributes.transactional;
  writeHeader(batch, {
    baseOffset: 0,
    batchLength: batch.length - LOG_OVERHEAD,
    partitionLeaderEpoch: -1,
    magic: MAGIC_V2,
    crc: 0,
    attributes,
    lastOffsetDelta: records.length - 1,
    baseTimestamp,
    maxTimestamp,
    producerId: options?.producerId ?? -1,
    producerEpoch: options?.producerEpoch ?? -1,
    baseSequence: options?.baseSequence ?? -1,
    recordCount: records.length,
  });
  return batch;
}

/** Writes every header field but the CRC, then the CRC over attributes to the end. */
function writeHeader(batch: Uint8Array, h: BatchHeader): void {
  const view = viewOf(batch);
  writeInt64(view, Offsets.baseOffset, h.baseOffset);
  view.setInt32(Offsets.batchLength, h.batchLength);
  view.setInt32(Offsets.partitionLeaderEpoch, h.partitionLeaderEpoch);
  view.setInt8(Offsets.magic, h.magic);
  view.setInt16(Offsets.attributes, h.attributes);
  view.setInt32(Offsets.lastOffsetDelta, h.lastOffsetDelta);
  writeInt64(view, Offsets.baseTimestamp, h.baseTimestamp);
  writeInt64(view, Offsets.maxTimestamp, h.maxTimestamp);
  writeInt64(view, Offsets.producerId, h.producerId);
  view.setInt16(Offsets.producerEpoch, h.producerEpoch);
  view.setInt32(Offsets.baseSequence, h.baseSequence);
  view.setInt32(Offsets.recordCount, h.recordCount);
  view.setUint32(Offsets.crc, crc32c(batch.subarray(CRC_START)));
}

const utf8 = new TextDecoder();

/** Reads a length-prefixed byte string as a view; -1 is null. */
function readBytes(bytes: Uint8Array, cursor: Cursor, field: string): Uint8Array | null {
  const length = readVarint(bytes, cursor, field);
  if (length === -1) return null;
  if (length < -1) throw new RecordBatchError(`${field}: invalid length ${length}`);
  const start = cursor.at;
  if (start + length > bytes.length) {
    throw new RecordBatchError(`${field}: length ${length} runs past the end of the record`);
  }
  cursor.at = start + length;
  return bytes.subarray(start, start + length);
}

function readHeaders(record: Uint8Array, cursor: Cursor, field: string): RecordHeader[] {
  const count = readVarint(record, cursor, `${field}.headerCount`);
  if (count < 0 || count > record.length - cursor.at) {
    throw new RecordBatchError(`${field}.headerCount: invalid count ${count}`);
  }
  const headers: RecordHeader[] = [];
  for (let j = 0; j < count; j++) {
    const keyBytes = readBytes(record, cursor, `${field}.headers[${j}].key`);
    // Kafka rejects a null header key (DefaultRecord.readHeaders: "Invalid null header key").
    if (keyBytes === null) throw new RecordBatchError(`${field}.headers[${j}].key: null`);
    const value = readBytes(record, cursor, `${field}.headers[${j}].value`);
    headers.push({ key: utf8.decode(keyBytes), value });
  }
  return headers;
}

/** Reads one record at cursor.at in `section`, advancing past it. */
function readRecord(
  section: Uint8Array, cursor: Cursor, header: BatchHeader, index: number,
): ConsumedRecord {
  const field = `records[${index}]`;
  const length = readVarint(section, cursor, `${field}.length`);
  const start = cursor.at;
  if (length < RECORD_BYTES_MIN - 1 || start + length > section.length) {
    throw new RecordBatchError(`${field}.length: ${length} does not fit the batch`);
  }
  // Bound every field read by the record's own end, so a bad length cannot borrow from the next.
  const record = section.subarray(0, start + length);
  cursor.at = start + 1; // Skip the unused attributes byte.
  const timestampDelta = readVarlong(record, cursor, `${field}.timestampDelta`);
  const offsetDelta = readVarint(record, cursor, `${field}.offsetDelta`);
  const key = readBytes(record, cursor, `${field}.key`);
  const value = readBytes(record, cursor, `${field}.value`);
  const headers = readHeaders(record, cursor, field);
  if (cursor.at !== record.length) {
    throw new RecordBatchError(
      `${field}.length: says ${length} bytes, fields use ${cursor.at - start}`,
    );
  }
  // Kafka's rule: with LogAppendTime every record carries the batch's maxTimestamp.
  const timestampMs = isLogAppendTime(header)
    ? header.maxTimestamp
    : header.baseTimestamp + timestampDelta;
  return { offset: header.baseOffset + offsetDelta, timestampMs, key, value, headers };
}

/** The records section, inflated if the batch is compressed. */
function recordsSection(
  bytes: Uint8Array, at: number, header: BatchHeader, options?: DecodeBatchOptions,
): Uint8Array {
  const section = bytes.subarray(at + BATCH_HEADER_BYTES, at + LOG_OVERHEAD + header.batchLength);
  const codec = compressionOf(header);
  if (codec === Compression.none) return section;
  if (codec === Compression.gzip) {
    try {
      const limit = options?.decompressedBytesMax;
      return gunzipSync(section, limit === undefined ? {} : { maxOutputLength: limit });
    } catch (error) {
      throw new RecordBatchError(`records: gzip: ${(error as Error).message}`);
    }
  }
  const name = COMPRESSION_NAMES[codec];
  if (name === undefined) {
    throw new RecordBatchError(`attributes: unknown compression codec ${codec}`);
  }
  throw new RecordBatchError(`compression: ${name} is not supported by this build`);
}

/**
 * Decodes the batch at `at` into its records. Throws RecordBatchError, naming the field, on a
 * truncated or malformed batch or an unsupported codec. The CRC is not checked (see checkBatch).
 */
export function decodeRecordBatch(
  bytes: Uint8Array, at = 0, options?: DecodeBatchOptions,
): { header: BatchHeader; records: ConsumedRecord[] } {
  if (bytes.length - at < BATCH_HEADER_BYTES) {
    const found = bytes.length - at;
    throw new RecordBatchError(`header: need ${BATCH_HEADER_BYTES} bytes, found ${found}`);
  }
  const header = readBatchHeader(bytes, at);
  if (header.magic !== MAGIC_V2) {
    throw new RecordBatchError(`magic: expected ${MAGIC_V2}, found ${header.magic}`);
  }
  const size = LOG_OVERHEAD + header.batchLength;
  if (size < BATCH_HEADER_BYTES || at + size > bytes.length) {
    const found = bytes.length - at;
    throw new RecordBatchError(`batchLength: ${header.batchLength} does not fit ${found} bytes`);
  }
  const section = recordsSection(bytes, at, header, options);
  const count = header.recordCount;
  if (count < 0 || count * RECORD_BYTES_MIN > section.length) {
    throw new RecordBatchError(`recordCount: ${count} records cannot fit ${section.length} bytes`);
  }
  const records: ConsumedRecord[] = [];
  const cursor: Cursor = { at: 0 };
  for (let i = 0; i < count; i++) records.push(readRecord(section, cursor, header, i));
  if (cursor.at !== section.length) {
    throw new RecordBatchError(
      `recordCount: ${count} records end at byte ${cursor.at} of ${section.length}`,
    );
  }
  return { header, records };
}
