import t from 'tap';
import { ConnectionReader } from '../../../broker/api/connection-reader.js';

/** A fake event loop: a clock that handling advances, and next-turn callbacks run by hand. */
class FakeLoop {
  nowMs = 0;
  #next: (() => void)[] = [];
  readonly now = (): number => this.nowMs;
  readonly nextTurn = (callback: () => void): void => {
    this.#next.push(callback);
  };

  /** Runs the callbacks of the next turn (those they schedule wait for the one after). */
  turn(): void {
    const callbacks = this.#next;
    this.#next = [];
    for (const callback of callbacks) callback();
  }
}

interface Harness {
  readonly reader: ConnectionReader;
  readonly handled: string[];
  readonly pauses: string[];
}

function reader(loop: FakeLoop, name: string, options: {
  costMs?: number; maxInFlight?: number; inFlight?: boolean; handled?: string[];
} = {}): Harness {
  const handled = options.handled ?? [];
  const pauses: string[] = [];
  const harness: Harness = {
    handled, pauses,
    reader: new ConnectionReader({
      maxInFlight: options.maxInFlight ?? 100, workPerTurnMs: 5,
      now: loop.now, nextTurn: loop.nextTurn,
      pause: () => pauses.push('pause'), resume: () => pauses.push('resume'),
      handle: (frame) => {
        handled.push(`${name}:${frame.toString()}`);
        loop.nowMs += options.costMs ?? 3;
        if (options.inFlight === true) harness.reader.requestStarted();
      },
    }),
  };
  return harness;
}

const frame = (text: string): Buffer => Buffer.from(text);

t.test('a connection past its share of a turn waits for the next turn, paused', async (t) => {
  const loop = new FakeLoop();
  const { reader: r, handled, pauses } = reader(loop, 'a');
  for (const text of ['1', '2', '3', '4', '5']) r.receive(frame(text));
  t.same(handled, ['a:1', 'a:2'], '3 ms each: the second frame uses up the 5 ms share');
  t.same(pauses, ['pause'], 'the socket is paused while frames wait');
  t.equal(r.queued, 3);
  loop.turn();
  t.same(handled, ['a:1', 'a:2', 'a:3', 'a:4'], 'the next turn goes on in order');
  loop.turn();
  t.same(handled.slice(4), ['a:5']);
  t.same(pauses, ['pause', 'resume'], 'reading resumes once the queue is empty');
});

t.test('a flooding connection does not starve another (issue 9)', async (t) => {
  const loop = new FakeLoop();
  const order: string[] = [];
  const hog = reader(loop, 'hog', { handled: order });
  const good = reader(loop, 'good', { handled: order });
  for (let i = 0; i < 100; i++) hog.reader.receive(frame(String(i)));
  good.reader.receive(frame('x'));
  t.same(order, ['hog:0', 'hog:1', 'good:x'], 'the good frame is handled in the same turn');
  loop.turn();
  t.equal(order.length, 5, 'the hog goes on at its pace, one share per turn');
});

t.test('over maxInFlight frames wait until an answer drains', async (t) => {
  const loop = new FakeLoop();
  const { reader: r, handled, pauses } = reader(loop, 'a',
    { costMs: 0, maxInFlight: 2, inFlight: true });
  for (const text of ['1', '2', '3']) r.receive(frame(text));
  t.same(handled, ['a:1', 'a:2']);
  t.same(pauses, ['pause']);
  r.requestFinished();
  t.same(handled, ['a:1', 'a:2', 'a:3'], 'a freed slot takes the waiting frame');
  t.same(pauses, ['pause'], 'still full: still paused');
  r.requestFinished();
  t.same(pauses, ['pause', 'resume']);
});

t.test('an answer given synchronously hands over to the next frame once', async (t) => {
  const loop = new FakeLoop();
  const handled: string[] = [];
  const r: ConnectionReader = new ConnectionReader({
    maxInFlight: 1, workPerTurnMs: 5, now: loop.now, nextTurn: loop.nextTurn,
    pause: () => undefined, resume: () => undefined,
    handle: (bytes) => {
      handled.push(bytes.toString());
      r.requestStarted();
      r.requestFinished();
    },
  });
  for (const text of ['1', '2', '3']) r.receive(frame(text));
  t.same(handled, ['1', '2', '3']);
});

t.test('stop drops queued and later frames and resumes reading', async (t) => {
  const loop = new FakeLoop();
  const { reader: r, handled, pauses } = reader(loop, 'a');
  for (const text of ['1', '2', '3']) r.receive(frame(text));
  r.stop();
  r.receive(frame('4'));
  loop.turn();
  t.same(handled, ['a:1', 'a:2']);
  t.same(pauses, ['pause', 'resume'], 'a closing socket is read, for its close frame');
  t.ok(r.stopped);
});
