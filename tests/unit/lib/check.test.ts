import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import { check } from '../../../lib/check.js';

t.test('check passes on truthy without building its message', async (t) => {
  let built = 0;
  t.doesNotThrow(() => check(1, () => { built++; return 'never'; }));
  t.doesNotThrow(() => check(true, 'constant ', { toString: () => { built++; return 'x'; } }));
  t.equal(built, 0, 'neither the function nor the parts were formatted');
});

t.test('a failed check throws AssertionFailure with the message joined from its parts', async (t) => {
  t.throws(() => check(false, () => 'from a function'), new AssertionFailure('from a function'));
  t.throws(() => check(0, 'constant'), new AssertionFailure('constant'));
  t.throws(() => check(null, 'high watermark ', 7, ' above the log end ', 5),
    new AssertionFailure('high watermark 7 above the log end 5'));
  t.throws(() => check(false, 'a', 1, 2, 3, 4, 5), new AssertionFailure('a12345'));
  t.throws(() => check(false, 'log ', undefined), new AssertionFailure('log undefined'),
    'an undefined part still shows');
});
