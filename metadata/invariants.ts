/**
 * `check` is lib/assert's assert for hot paths: the message is built only when the check
 * fails, so replaying a million records does not format a million strings.
 */
import { assert } from '../lib/assert.js';

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) assert(false, message());
}
