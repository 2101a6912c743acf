/**
 * `check` is lib/assert's assert for hot paths and for messages that name values: the message
 * is built only when the check fails, so a check that passes costs one test and formats no
 * string (TigerStyle: assertions stay on in production, so they must be cheap).
 *
 * The message is either
 *  - template parts: a constant string and up to five values or strings, joined in order only
 *    on failure: `check(epoch >= 0, 'bad leader epoch ', epoch)`. Nothing is allocated per
 *    call, so this is the form for per-batch and per-record paths;
 *  - or a function, `check(ok, () => \`...\`)`, for messages that need more work. The arrow
 *    is a closure allocated per call: fine per request or per metadata record.
 */
import { AssertionFailure } from './assert.js';

export function check(
  condition: unknown, message: string | (() => string),
  part1?: unknown, part2?: unknown, part3?: unknown, part4?: unknown, part5?: unknown,
): asserts condition {
  if (condition) return;
  // arguments.length counts the parts passed, so a part whose value is undefined still shows.
  fail(message, arguments.length - 2, part1, part2, part3, part4, part5);
}

function fail(message: string | (() => string), count: number, ...parts: unknown[]): never {
  let text = typeof message === 'function' ? message() : message;
  for (let i = 0; i < count; i++) text += String(parts[i]);
  throw new AssertionFailure(text);
}
