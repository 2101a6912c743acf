/**
 * Where a tool's engine reads and writes: the process's standard streams and signals when the
 * tool runs as a command (processIo), or a test's streams when it runs inside the test's
 * process. Engines touch no process-wide stream, signal or exit code themselves, so one test
 * process can run many of them, one after another or side by side.
 */
export interface ToolIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stdin is a terminal (the console producer prints its `>` prompt only then). */
  readonly interactive: boolean;
  /** Calls `stop` on SIGINT or SIGTERM (Kafka's shutdown hook) until the returned undo runs. */
  onShutdown(stop: () => void): () => void;
}

/** A tool: its arguments and streams in, its exit code out. A bug rejects, with its stack. */
export type ToolEngine = (argv: readonly string[], io: ToolIo) => Promise<number>;

/** The process's streams and signals. stdin is opened only by a tool that reads it. */
export function processIo(): ToolIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
    get interactive() {
      return process.stdin.isTTY === true;
    },
    onShutdown(stop) {
      process.once('SIGINT', stop).once('SIGTERM', stop);
      return () => void process.off('SIGINT', stop).off('SIGTERM', stop);
    },
  };
}

/** Prints whole lines on `stream`, as Kafka's tools print (println). */
export function linePrinter(stream: NodeJS.WritableStream): (line: string) => void {
  return (line) => void stream.write(`${line}\n`);
}
