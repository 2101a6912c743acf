/**
 * The async-iterator face of the consumer (`for await (const m of consumer.messages())`): an
 * eachMessage handler that hands each message to the iterator and finishes only when the
 * reader asks for the next one. So the reader's pace is the handler's pace, and the fetch loop's
 * backpressure (no new fetch from a broker before its last answer is handled) applies as is.
 * At most partitionsConsumedConcurrently messages per broker wait here.
 */
import type { EachMessagePayload } from './types.js';

interface Item {
  readonly payload: EachMessagePayload;
  readonly done: () => void;
  readonly drop: (error: Error) => void;
}

/** What a handler whose message never reached the reader rejects with. */
export class ChannelClosed extends Error {
  override name = 'ChannelClosed';
}

export class MessageChannel implements AsyncIterableIterator<EachMessagePayload> {
  private readonly items: Item[] = [];
  /** The handler of the message the reader holds; it finishes when the reader moves on. */
  private handedOut: (() => void) | undefined;
  private reader: {
    resolve: (result: IteratorResult<EachMessagePayload>) => void;
    reject: (error: Error) => void;
  } | undefined;
  private closed = false;
  private failure: Error | undefined;

  constructor(private readonly onReturn: () => Promise<void>) {}

  /** The eachMessage handler. */
  readonly handler = (payload: EachMessagePayload): Promise<void> => {
    if (this.closed) return Promise.reject(new ChannelClosed('the iterator has ended'));
    return new Promise<void>((done, drop) => {
      const reader = this.reader;
      if (reader !== undefined) {
        this.reader = undefined;
        this.handedOut = done;
        reader.resolve({ done: false, value: payload });
      } else {
        this.items.push({ payload, done, drop });
      }
    });
  };

  next(): Promise<IteratorResult<EachMessagePayload>> {
    this.finishHandedOut();
    const item = this.items.shift();
    if (item !== undefined) {
      this.handedOut = item.done;
      return Promise.resolve({ done: false, value: item.payload });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<EachMessagePayload>> {
    this.close();
    await this.onReturn();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<EachMessagePayload> {
    return this;
  }

  /** Ends the iteration: the message the reader holds counts as consumed, the ones it never
   *  saw do not (their handlers reject, so the positions stay before them). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.finishHandedOut();
    for (const item of this.items.splice(0)) item.drop(new ChannelClosed('the iterator has ended'));
    const reader = this.reader;
    this.reader = undefined;
    reader?.resolve({ done: true, value: undefined });
  }

  /** The consumer crashed: the reader's next() rejects with `error`. */
  fail(error: Error): void {
    this.failure = error;
    const reader = this.reader;
    this.reader = undefined;
    reader?.reject(error);
    this.close();
  }

  private finishHandedOut(): void {
    const done = this.handedOut;
    this.handedOut = undefined;
    done?.();
  }
}
