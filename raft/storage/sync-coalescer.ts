/**
 * Coalesces fsync requests. A request is satisfied only by a flush that STARTED after it: a flush
 * already running captured its work before the caller's writes, so it proves nothing about them.
 * Callers arriving while a flush runs therefore share the next one; at most one runs at a time,
 * so a burst of N requests costs at most two flushes.
 *
 * A failed flush fails every later request too. After a failed fsync the kernel may already have
 * dropped the dirty pages, so a retry that succeeds would claim durability for lost data
 * (PostgreSQL's "fsyncgate", 2018). The owner must be discarded and the process restarted.
 */
interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class SyncCoalescer {
  readonly #flush: () => Promise<void>;
  #running: Promise<void> | undefined;
  #next: Deferred | undefined;
  #failure: { readonly error: unknown } | undefined;

  /** `flush` must capture the work it covers synchronously, before its first await. */
  constructor(flush: () => Promise<void>) {
    this.#flush = flush;
  }

  /** True while a flush runs. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  request(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#running === undefined) return this.#launch();
    this.#next ??= deferred();
    return this.#next.promise;
  }

  /** Resolves once no flush runs, whatever the outcome of the flushes. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running.catch(() => undefined);
  }

  #launch(): Promise<void> {
    const round = this.#flush();
    this.#running = round;
    round.then(
      () => this.#settle(undefined),
      (error: unknown) => this.#settle({ error }),
    );
    return round;
  }

  #settle(failure: { readonly error: unknown } | undefined): void {
    this.#running = undefined;
    this.#failure ??= failure;
    const next = this.#next;
    this.#next = undefined;
    if (next === undefined) return;
    if (this.#failure !== undefined) next.reject(this.#failure.error);
    else this.#launch().then(next.resolve, next.reject);
  }
}
