/**
 * How a tool ends. runAsCommand runs an engine on the process's arguments and streams and sets
 * the exit code it returns. withReport turns an engine's expected failures into the exit code
 * a report gives after printing them; the report rethrows anything else, a bug, which then
 * crashes the command with its stack. toolErrors is the report the console and perf tools
 * share, as Kafka's tools print: usage and config errors as they are, yargs' parse errors in
 * the tool's own wording, the client's errors as `ERROR <message>`, each one line on stderr and
 * exit 1. The client is loaded only on failure, so tools start fast.
 */
import { ToolConfigError, UsageError, isYargsError, joptMessage } from './tool-errors.js';
import { linePrinter, processIo } from './tool-io.js';
import type { ToolEngine, ToolIo } from './tool-io.js';

/** Prints an expected failure and gives the exit code; rethrows a bug. */
export type ToolReport =
  (error: unknown, io: ToolIo, argv: readonly string[]) => number | Promise<number>;

export interface ToolErrorsOptions {
  /** yargs' message in the tool's wording (default: joptsimple's, see joptMessage). */
  readonly parseMessage?: (message: string) => string | Promise<string>;
  /** More failures printed as their message alone (e.g. a bad input line). */
  readonly isExpected?: (error: unknown) => boolean | Promise<boolean>;
}

export function toolErrors(options: ToolErrorsOptions = {}): ToolReport {
  return async (error, io) => {
    const print = linePrinter(io.stderr);
    const { RaftkaError } = await import('../../client/index.js');
    if (error instanceof UsageError || error instanceof ToolConfigError ||
      await options.isExpected?.(error) === true) {
      print((error as Error).message);
    } else if (isYargsError(error)) {
      print(await (options.parseMessage ?? joptMessage)(error.message));
    } else if (error instanceof RaftkaError) {
      print(`ERROR ${error.message}`);
    } else {
      throw error;
    }
    return 1;
  };
}

/** `main`, with its expected failures printed by `report` and turned into its exit code. */
export function withReport(main: ToolEngine, report: ToolReport): ToolEngine {
  return async (argv, io) => {
    try {
      return await main(argv, io);
    } catch (error) {
      return await report(error, io, argv);
    }
  };
}

/**
 * Runs `engine` as the process's command and sets the exit code it returns. A bug rejects;
 * left unhandled, it crashes the process with its stack.
 */
export function runAsCommand(engine: ToolEngine): void {
  // process.argv is [node, script, ...arguments]; yargs/helpers' hideBin does the same slice.
  void engine(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
