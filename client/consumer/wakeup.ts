/**
 * The fetch loop's alarm clock: wake() from any event (a fetch finished, seek, resume, assign,
 * stop), or at a time (the end of a backoff). A wake-up that comes while the loop is busy is
 * kept, so none is lost.
 */
export class Wakeup {
  private woken = false;
  private resolveWait: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private atMs = Infinity;

  wake(): void {
    this.woken = true;
    const resolve = this.resolveWait;
    this.resolveWait = undefined;
    resolve?.();
  }

  async wait(): Promise<void> {
    if (!this.woken) await new Promise<void>((resolve) => { this.resolveWait = resolve; });
    this.woken = false;
  }

  /** Wakes at `atMs` unless a timed wake-up is due earlier. */
  at(atMs: number): void {
    if (this.timer !== undefined && this.atMs <= atMs) return;
    this.clear();
    this.atMs = atMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.atMs = Infinity;
      this.wake();
    }, Math.max(0, atMs - Date.now()));
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.atMs = Infinity;
  }
}
