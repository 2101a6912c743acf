/**
 * The producer's public shapes, as KafkaJS's `types/index.d.ts` names them: Message,
 * ProducerRecord (send's argument), ProducerBatch (sendBatch's), RecordMetadata (the answer,
 * offsets as strings) and CompressionTypes.
 */

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** Record headers; an array value becomes several headers with the same key. */
export interface IHeaders {
  [key: string]: HeaderValue;
}

export interface Message {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  /** Sends to this partition; the partitioner is not asked. */
  readonly partition?: number;
  readonly headers?: IHeaders;
  /** Milliseconds since the epoch, as a string (KafkaJS); defaults to now. */
  readonly timestamp?: string;
}

/** KafkaJS's codes; raftka builds only None and GZIP in (record batches support no others). */
export const CompressionTypes = { None: 0, GZIP: 1 } as const;
export type CompressionType = (typeof CompressionTypes)[keyof typeof CompressionTypes];

export type Acks = -1 | 0 | 1;

export interface ProducerRecord {
  readonly topic: string;
  readonly messages: readonly Message[];
  /** -1 (all in-sync replicas, the default), 1 (the leader), 0 (no response at all). */
  readonly acks?: Acks;
  /** How long the leader waits for the in-sync replicas, ms (default 30000). */
  readonly timeout?: number;
  readonly compression?: CompressionType;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly Message[];
}

export interface ProducerBatch {
  readonly topicMessages: readonly TopicMessages[];
  readonly acks?: Acks;
  readonly timeout?: number;
  readonly compression?: CompressionType;
}

/**
 * One entry per partition a send touched. baseOffset is the offset of this send's first
 * record in that partition ('-1' with acks=0, which gets no answer). logAppendTime is '-1'
 * unless the topic uses LogAppendTime.
 */
export interface RecordMetadata {
  readonly topicName: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly baseOffset: string;
  readonly logAppendTime: string;
  readonly logStartOffset: string;
}
