/**
 * Exponential reconnect backoff with "equal jitter": attempt n waits a uniformly random time in
 * [d/2, d] where d = min(max, initial * 2^n). The jitter keeps peers that lost a common node
 * from reconnecting in lockstep; the lower half-bound keeps the delay growing. The random source
 * is injectable so tests can pin it (this is I/O code; the Raft core never calls it).
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly random?: () => number;
}

export function backoffDelayMs(attempt: number, options: BackoffOptions): number {
  const exponent = Math.min(attempt, 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
