/**
 * The errors the client rejects with. All extend RaftkaError, which carries `retriable`; a
 * broker's answer becomes a RaftkaProtocolError carrying Kafka's code and name (`.type`, as in
 * KafkaJS's KafkaJSProtocolError), so callers branch on the code, never on the message text.
 * KafkaJS names are exported as aliases to ease porting.
 */
import { errorInfo } from '../protocol/error-codes.js';

export class RaftkaError extends Error {
  override name = 'RaftkaError';
  /** True when the same operation may succeed if tried again. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** A Kafka error code returned by a broker (or raised locally with Kafka's meaning). */
export class RaftkaProtocolError extends RaftkaError {
  override name = 'RaftkaProtocolError';
  /** Kafka's error name, e.g. 'TOPIC_ALREADY_EXISTS'. */
  readonly type: string;
  readonly code: number;

  /** `retriable` overrides Kafka's flag where the context makes the code final. */
  constructor(code: number, message?: string | null, options: { retriable?: boolean } = {}) {
    const info = errorInfo(code);
    super(message === undefined || message === null || message === '' ? info.message : message,
      { retriable: options.retriable ?? info.retriable });
    this.type = info.name;
    this.code = code;
  }
}

/** A per-topic error of CreateTopics, DeleteTopics, CreatePartitions or Metadata. */
export class RaftkaTopicError extends RaftkaProtocolError {
  override name = 'RaftkaTopicError';
  readonly topic: string;

  constructor(topic: string, code: number, message?: string | null,
    options: { retriable?: boolean } = {}) {
    super(code, message, options);
    this.topic = topic;
  }
}

/** Several errors of one operation (KafkaJSAggregateError), e.g. one per failed topic. */
export class RaftkaAggregateError extends RaftkaError {
  override name = 'RaftkaAggregateError';
  readonly errors: readonly RaftkaError[];

  constructor(message: string, errors: readonly RaftkaError[]) {
    super(message, { retriable: errors.every((error) => error.retriable) });
    this.errors = errors;
  }
}

/** The connection to a broker could not be opened, or was lost with requests in flight. */
export class RaftkaConnectionError extends RaftkaError {
  override name = 'RaftkaConnectionError';
  /** `host:port` of the broker. */
  readonly broker: string;

  constructor(
    message: string,
    broker: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { retriable: options.retriable ?? true, cause: options.cause });
    this.broker = broker;
  }
}

/** No response within requestTimeout. The broker may still have applied the request. */
export class RaftkaRequestTimeoutError extends RaftkaError {
  override name = 'RaftkaRequestTimeoutError';
  readonly broker: string;
  readonly correlationId: number;

  constructor(message: string, broker: string, correlationId: number) {
    super(message, { retriable: true });
    this.broker = broker;
    this.correlationId = correlationId;
  }
}

/** Retries ran out; `cause` is the last error. */
export class RaftkaNumberOfRetriesExceeded extends RaftkaError {
  override name = 'RaftkaNumberOfRetriesExceeded';
  readonly retryCount: number;
  readonly retryTime: number;

  constructor(cause: Error, retryCount: number, retryTime: number) {
    super(cause.message, { retriable: false, cause });
    this.retryCount = retryCount;
    this.retryTime = retryTime;
  }

  /** KafkaJS's name for `cause`. */
  get originalError(): unknown {
    return this.cause;
  }
}

export {
  RaftkaError as KafkaJSError,
  RaftkaProtocolError as KafkaJSProtocolError,
  RaftkaAggregateError as KafkaJSAggregateError,
  RaftkaConnectionError as KafkaJSConnectionError,
  RaftkaRequestTimeoutError as KafkaJSRequestTimeoutError,
  RaftkaNumberOfRetriesExceeded as KafkaJSNumberOfRetriesExceeded,
};
