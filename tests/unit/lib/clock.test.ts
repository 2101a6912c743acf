import t from 'tap';
import { ManualClock, systemClock } from '../../../lib/clock.js';

t.test('a manual clock fires timers in due order, ties in the order they were set', async (t) => {
  const clock = new ManualClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.nowMs()}`), 20);
  clock.setTimeout(() => fired.push(`a@${clock.nowMs()}`), 10);
  clock.setTimeout(() => fired.push(`c@${clock.nowMs()}`), 20);
  clock.advance(15);
  t.same(fired, ['a@1010']);
  t.equal(clock.nowMs(), 1015);
  clock.advance(100);
  t.same(fired, ['a@1010', 'b@1020', 'c@1020']);
  t.equal(clock.pending, 0);
});

t.test('an interval repeats until cancelled; a cancelled timeout never fires', async (t) => {
  const clock = new ManualClock();
  let ticks = 0;
  const interval = clock.setInterval(() => ticks++, 10);
  const timeout = clock.setTimeout(() => t.fail('cancelled'), 5);
  timeout.cancel();
  clock.advance(35);
  t.equal(ticks, 3);
  interval.cancel();
  clock.advance(100);
  t.equal(ticks, 3);
  t.equal(clock.pending, 0);
});

t.test('a timer set by a firing timer fires within the same advance when due', async (t) => {
  const clock = new ManualClock();
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.nowMs());
    clock.setTimeout(() => fired.push(clock.nowMs()), 5);
  }, 5);
  clock.advance(10);
  t.same(fired, [5, 10]);
});

t.test('the manual clock refuses to go back in time', async (t) => {
  t.throws(() => new ManualClock().advance(-1), /back in time/);
});

t.test('the system clock reads the wall clock and runs real timers', async (t) => {
  const before = Date.now();
  t.ok(systemClock.nowMs() >= before);
  await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1));
  let runs = 0;
  await new Promise<void>((resolve) => {
    const timer = systemClock.setInterval(() => {
      runs++;
      if (runs === 2) {
        timer.cancel();
        resolve();
      }
    }, 1);
  });
  t.equal(runs, 2);
});
