/**
 * The named bounds of the data plane (TigerStyle: every queue and map has a maximum). External
 * input over a bound gets a retriable error or is answered early; the values follow Kafka's
 * defaults where Kafka has one (replica.fetch.*), and are generous elsewhere.
 */

/** Fetches parked in the delayed-fetch purgatory; over it, a fetch is answered at once. */
export const MAX_PARKED_FETCHES = 10_000;
/** acks=-1 produces waiting for the ISR; over it, REQUEST_TIMED_OUT before appending. */
export const MAX_PARKED_PRODUCES = 10_000;
/** Partitions in one Fetch request (and so in its response); more is INVALID_REQUEST. */
export const MAX_PARTITIONS_PER_FETCH = 10_000;

/** Logs opened per event-loop turn when many partitions arrive at once (start-up). */
export const LOG_OPEN_CHUNK = 32;
/** ...and at most this long per turn, so heartbeats and requests are never starved. */
export const LOG_OPEN_TURN_MS = 10;

/** Kafka's replica.fetch.max.bytes: the follower's partitionMaxBytes. */
export const REPLICA_FETCH_PARTITION_MAX_BYTES = 1024 * 1024;
/** Kafka's replica.fetch.response.max.bytes: the follower's maxBytes. */
export const REPLICA_FETCH_RESPONSE_MAX_BYTES = 10 * 1024 * 1024;
/** Kafka's replica.fetch.wait.max.ms: how long the leader may park a follower's fetch. */
export const REPLICA_FETCH_WAIT_MAX_MS = 500;
/** Kafka's replica.fetch.min.bytes. */
export const REPLICA_FETCH_MIN_BYTES = 1;
/** Kafka's replica.socket.timeout.ms: a fetch unanswered this long past its wait is lost. */
export const REPLICA_SOCKET_TIMEOUT_MS = 30_000;
/** Reconnect backoff of a replica fetcher: doubles from the minimum up to the maximum. */
export const FETCHER_BACKOFF_MIN_MS = 50;
export const FETCHER_BACKOFF_MAX_MS = 2_000;
/** Kafka's replica.fetch.backoff.ms: a partition that answered with an error waits this long. */
export const PARTITION_ERROR_BACKOFF_MS = 1_000;

/** How long one AlterPartition may take (the channel retries inside it). */
export const ALTER_PARTITION_TIMEOUT_MS = 10_000;
/** Pause before sending an AlterPartition again after a retriable failure. */
export const ALTER_PARTITION_RETRY_BACKOFF_MS = 100;

/** How often idle logs are checked against log.flush.interval.ms (Kafka's log flusher). */
export const FLUSH_CHECK_INTERVAL_MS = 1_000;
