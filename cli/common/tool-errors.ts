/**
 * The expected failures of the Kafka-style tools, each printed as one line without a stack
 * trace: UsageError (bad arguments, on stderr, like Kafka's printUsageAndExit),
 * ToolConfigError (a command config or bootstrap list that cannot be used, on stderr), and
 * CommandError (the operation failed; kafka-topics prints it on stdout after Kafka's prefix).
 * Nothing here imports anything, so tools can test for these classes before loading the rest.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class ToolConfigError extends Error {
  override name = 'ToolConfigError';
}

export class CommandError extends Error {
  override name = 'CommandError';
}

/** yargs reports some parse errors (a flag without its value) as a thrown YError. */
export function isYargsError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'YError';
}

/**
 * yargs' wording turned into joptsimple's, which Kafka's option-parsing tools print:
 * "Unknown argument: foo" becomes "foo is not a recognized option".
 */
export function joptMessage(message: string): string {
  const unknown = /^Unknown arguments?: ([^,]+)/.exec(message);
  if (unknown !== null) return `${unknown[1]!.replace(/^-+/, '')} is not a recognized option`;
  const missing = /^Not enough arguments following: (\S+)/.exec(message);
  if (missing !== null) return `Option ${missing[1]} requires an argument`;
  return message;
}

/** A repeated option keeps its last value, as argparse4j's store action does for Kafka. */
export function lastValue<T>(value: T | T[]): T {
  return Array.isArray(value) ? value[value.length - 1]! : value;
}
