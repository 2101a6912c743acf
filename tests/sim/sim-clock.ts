/**
 * The simulator's Clock (lib/clock.ts) for code that takes one, such as the controller driver:
 * virtual milliseconds and timers on the event queue. Timers of one node incarnation stop
 * firing once it crashed (`live` turns false), as a process's timers die with it.
 */
import type { Clock, Timer } from '../../lib/clock.js';
import type { EventQueue } from './event-queue.js';

export function simClock(queue: EventQueue, live: () => boolean): Clock {
  return {
    nowMs: () => queue.now,
    setTimeout(action, delayMs): Timer {
      let cancelled = false;
      queue.after(delayMs, () => {
        if (!cancelled && live()) action();
      });
      return { cancel: () => { cancelled = true; } };
    },
    setInterval(action, periodMs): Timer {
      let cancelled = false;
      const schedule = (): void => queue.after(periodMs, () => {
        if (cancelled || !live()) return;
        action();
        schedule();
      });
      schedule();
      return { cancel: () => { cancelled = true; } };
    },
  };
}
