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
