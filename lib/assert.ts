/**
 * Always-on assertions. A failed assertion is a bug in raftka, never an expected condition:
 * it throws an AssertionFailure that nothing should catch, so the process crashes loudly
 * instead of continuing with corrupt state (TigerStyle: "assertions detect programmer errors").
 */
export class AssertionFailure extends Error {
  override name = 'AssertionFailure';
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

/** Marks a branch the type system proves unreachable; reaching it at run time is a bug. */
export function unreachable(value: never, what = 'value'): never {
  throw new AssertionFailure(`unreachable: unexpected ${what} ${JSON.stringify(value)}`);
}
