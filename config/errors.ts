/**
 * The two expected failures of config/: a server configuration that does not validate, and
 * storage directories that are missing, unformatted or inconsistent. Both carry messages meant
 * for the operator as they are (one line each); tools print them without a stack trace.
 * Nothing here imports anything, so a CLI can test for these classes without loading zod.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One line per problem, each naming where it was found (file:line, file or --override). */
  readonly messages: readonly string[];
  /** Warnings found on the way, so that a failed load can still show them. */
  readonly warnings: readonly string[];

  constructor(messages: readonly string[], warnings: readonly string[] = []) {
    super(messages.join('\n'));
    this.messages = messages;
    this.warnings = warnings;
  }
}

export class StorageError extends Error {
  override name = 'StorageError';
}
