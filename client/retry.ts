/**
 * Retries with exponential backoff and jitter, shaped like KafkaJS's retrier: the n-th retry
 * waits about initialRetryTime * multiplier^n, randomized by +-factor so that clients that
 * failed together do not retry in lockstep, and never more than maxRetryTime. A non-retriable
 * error is thrown at once, unchanged; when retries run out, RaftkaNumberOfRetriesExceeded
 * carries the last error as its cause.
 */
import { RaftkaError, RaftkaNumberOfRetriesExceeded } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (KafkaJS default 5). */
  readonly retries: number;
  readonly initialRetryTime: number;
  /** The longest single wait, in ms. */
  readonly maxRetryTime: number;
  /** Jitter: each wait is randomized within +-factor of its nominal value. */
  readonly factor: number;
  readonly multiplier: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 5,
  initialRetryTime: 300,
  maxRetryTime: 30_000,
  factor: 0.2,
  multiplier: 2,
};

export interface RetryHooks {
  readonly random?: () => number;
  /** Called before each wait (for logging and tests). */
  readonly onRetry?: (error: RaftkaError, retryCount: number, waitMs: number) => void;
}

/** The wait before retry number `retryCount` (0-based). */
export function retryDelayMs(options: RetryOptions, retryCount: number, random = Math.random) {
  const nominal = options.initialRetryTime * options.multiplier ** Math.min(retryCount, 30);
  const jittered = nominal * (1 - options.factor + 2 * options.factor * random());
  return Math.min(options.maxRetryTime, Math.ceil(jittered));
}

/**
 * Runs `attempt` until it resolves, it throws a non-retriable error, or retries run out.
 * Anything thrown that is not a RaftkaError is a bug and is rethrown at once.
 */
export async function withRetry<T>(
  options: RetryOptions,
  attempt: (retryCount: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  let retryTime = 0;
  for (let retryCount = 0; ; retryCount++) {
    try {
      return await attempt(retryCount);
    } catch (error) {
      if (!(error instanceof RaftkaError) || !error.retriable) throw error;
      if (retryCount >= options.retries) {
        throw new RaftkaNumberOfRetriesExceeded(error, retryCount, retryTime);
      }
      const waitMs = retryDelayMs(options, retryCount, hooks.random);
      hooks.onRetry?.(error, retryCount, waitMs);
      retryTime += waitMs;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
