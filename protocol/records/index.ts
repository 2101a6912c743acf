/**
 * Kafka's record batch v2 as bytes, shared by the broker and the client.
 *
 * Contracts:
 * - A batch is encoded once by the producer (encodeRecordBatch) and then travels as the same bytes:
 *   the broker checks it (checkBatch: size, magic 2, CRC-32C, record count, offsets, codec),
 *   stamps baseOffset and partitionLeaderEpoch in place (stampBatch, outside the CRC), stores
 *   it, and serves it unchanged to followers and consumers, who walk it with batchesIn and
 *   decode it with decodeRecordBatch.
 * - Reading never copies: headers are read through a DataView over the caller's buffer, and
 *   uncompressed keys and values are subarray views that live as long as that buffer.
 * - Bad bytes from outside are values (BatchCheck) or RecordBatchError with the field named, never
 *   assertions; only our own bugs assert.
 * - Keyed records are placed with Java's murmur2 (partitionForKey) so placement matches the Java
 *   client and KafkaJS's default partitioner.
 * - Compression: none and gzip (node:zlib). snappy, lz4 and zstd batches are recognised by
 *   checkBatch but decodeRecordBatch rejects them as unsupported.
 */
export * from './batch-header.js';
export * from './errors.js';
export * from './murmur2.js';
export * from './record-batch.js';
export * from './varint.js';
