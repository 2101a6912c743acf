/**
 * The tests' one poll with a deadline: check a condition every few milliseconds until it holds,
 * and fail naming what was awaited once the deadline passes. For conditions that no event
 * announces; a test never sleeps for a fixed time instead.
 */

/**
 * Polls `probe` until it returns a value other than undefined and resolves with that value, or
 * fails after `timeoutMs`. A probe that throws is tried again (a server may not be up yet); the
 * last error is in the failure's message.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 20,
): Promise<T> {
  return await poll(what, probe, timeoutMs, intervalMs, true);
}

/** Polls `predicate` until it holds, or fails after `timeoutMs`. A throwing predicate fails. */
export async function waitFor(
  what: string, predicate: () => boolean, timeoutMs = 5_000, intervalMs = 5,
): Promise<void> {
  await poll(what, () => (predicate() ? true : undefined), timeoutMs, intervalMs, false);
}

async function poll<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs: number,
  retryErrors: boolean,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
        (lastError === undefined ? '' : `; last error: ${String(lastError)}`));
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
