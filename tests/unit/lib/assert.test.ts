import t from 'tap';
import { assert, AssertionFailure } from '../../../lib/assert.js';

t.test('assert passes on truthy and throws AssertionFailure with the message otherwise', async (t) => {
  t.doesNotThrow(() => assert(1));
  t.throws(() => assert(0, 'boom'), new AssertionFailure('boom'));
});
