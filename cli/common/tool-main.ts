/**
 * The ending the Kafka-style tools share (console producer and consumer, the perf tests): run
 * `main`, set its exit code, and turn an expected failure into one line on stderr and exit 1,
 * as Kafka's tools do: usage and config errors as they are, yargs' parse errors in the tool's
 * own wording, the client's errors as `ERROR <message>`. Anything else is a bug and crashes
 * with its stack. The client is loaded only on failure, so tools start fast.
 */
import { ToolConfigError, UsageError, isYargsError, joptMessage } from './tool-errors.js';

export interface ToolMainOptions {
  /** yargs' message in the tool's wording (default: joptsimple's, see joptMessage). */
  readonly parseMessage?: (message: string) => string | Promise<string>;
  /** More failures printed as their message alone (e.g. a bad input line). */
  readonly isExpected?: (error: unknown) => boolean | Promise<boolean>;
}

export function runToolMain(
  main: (argv: readonly string[]) => Promise<number>, options: ToolMainOptions = {},
): void {
  const print = (line: string): void => void process.stderr.write(`${line}\n`);
  const report = async (error: unknown): Promise<number> => {
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
  runMain(main, report);
}

/**
 * Runs a tool's `main` on the command line's arguments and sets the exit code it returns, or
 * the one `report` gives for the error it threw (report rethrows bugs).
 */
export function runMain(
  main: (argv: readonly string[]) => Promise<number>,
  report: (error: unknown) => number | Promise<number>,
): void {
  // process.argv is [node, script, ...arguments]; yargs/helpers' hideBin does the same slice.
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    async (error: unknown) => { process.exitCode = await report(error); },
  );
}
