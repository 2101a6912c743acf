/**
 * Named maxima of the client wire. The frame limit is the one that matters for memory; the
 * array and string bounds keep a hostile or buggy peer from making the validator walk huge
 * structures that still fit in a frame, and give the error a field name.
 */

/** Kafka's socket.request.max.bytes default (100 MiB). Brokers and clients take a parameter. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;
/** Kafka's STRING type holds at most 32767 bytes (an int16 length). */
export const MAX_STRING_LENGTH = 32_767;
/** Long enough for any legal name (249) and for a bad one to reach the broker's own check. */
export const MAX_TOPIC_NAME_LENGTH = 1_024;
export const MAX_CLIENT_ID_LENGTH = 1_024;
export const MAX_TOPICS = 100_000;
export const MAX_PARTITIONS_PER_TOPIC = 100_000;
export const MAX_REPLICAS_PER_PARTITION = 1_024;
export const MAX_BROKERS = 10_000;
export const MAX_CONFIG_ENTRIES = 10_000;
export const MAX_QUORUM_REPLICAS = 10_000;
export const MAX_LISTENERS_PER_NODE = 64;
/** Correlation ids are non-negative int32 and wrap around, as Kafka's do. */
export const MAX_CORRELATION_ID = 0x7fff_ffff;
/**
 * The records of one partition in a Produce or Fetch (one or more record batches). A frame
 * holds them, so the frame limit is the real bound; this names it for the field's error.
 */
export const MAX_RECORDS_BYTES = DEFAULT_MAX_FRAME_BYTES;

/*
 * What one request frame may cost the broker before msgpack decodes it (protocol/frame-scan.ts
 * checks these in one pass over the bytes, without allocating). A frame well under the frame
 * limit can still hold one msgpack element per byte, and decoding tens of millions of them
 * stalls the broker's only thread for seconds (issue 9). So every API has a bound on frame
 * bytes and on elements (every map, array, key and value counts one), sized for its legitimate
 * need, and any frame is bounded in nesting and string length.
 */

/** Produce carries record batches as opaque bytes, the only large field: the frame limit. */
export const MAX_PRODUCE_REQUEST_ELEMENTS = 262_144;
/**
 * Fetch and ListOffsets list partitions (13 and 7 elements each), no records: room for tens of
 * thousands of partitions in one request, which a follower fetching from one leader may need.
 */
export const MAX_PARTITION_LIST_REQUEST_BYTES = 8 * 1024 * 1024;
export const MAX_PARTITION_LIST_REQUEST_ELEMENTS = 524_288;
/** The admin and metadata APIs hold names and numbers: 1 MiB is tens of thousands of names. */
export const MAX_ADMIN_REQUEST_BYTES = 1024 * 1024;
export const MAX_ADMIN_REQUEST_ELEMENTS = 131_072;
/**
 * The deepest legitimate request nests 8 levels (envelope, payload, topics, topic, assignments,
 * assignment, brokerIds, id); twice that leaves room and keeps the scan's stack tiny.
 */
export const MAX_REQUEST_NESTING_DEPTH = 16;
/**
 * No string field is longer than MAX_STRING_LENGTH UTF-16 units, and one unit is at most
 * 3 UTF-8 bytes; a longer msgpack string is refused before it is decoded.
 */
export const MAX_STRING_BYTES = 3 * MAX_STRING_LENGTH;
/**
 * The most partitions a producer puts in one Produce request, so that its frame always stays
 * under MAX_PRODUCE_REQUEST_ELEMENTS: each partition costs at most 10 elements (5 for its
 * entry, 5 more when it is alone in its topic), plus a few dozen for the envelope.
 */
export const MAX_PRODUCE_PARTITIONS_PER_REQUEST = 16_384;
