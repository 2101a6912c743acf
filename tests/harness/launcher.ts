/**
 * Starts, signals and stops real raftka processes for cluster and chaos tests. Every process is
 * tracked by PID and killed when the test process exits, whatever happens; tests wait for log
 * lines or poll with deadlines, never sleep blindly.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) if (child.pid !== undefined) safeKill(child.pid, 'SIGKILL');
  });
}

function safeKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}

export interface LaunchSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Echo the child's output to this process's stderr (for debugging a failing test). */
  readonly echo?: boolean;
}

export class ManagedProcess {
  readonly spec: LaunchSpec;
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];

  constructor(spec: LaunchSpec) {
    installExitHook();
    this.spec = spec;
    this.child = spawn(spec.command, [...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        resolve({ code, signal });
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) this.#onLine(line);
      });
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  #onLine(line: string): void {
    const index = this.lines.push(line) - 1;
    if (this.spec.echo) process.stderr.write(`[${this.spec.name}] ${line}\n`);
    this.#waiters = this.#waiters.filter((w) => {
      if (index < w.from || !w.pattern.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** Resolves with the first line matching `pattern` printed at or after line `from`. */
  waitForLine(pattern: RegExp, timeoutMs: number, from = 0): Promise<string> {
    const earlier = this.lines.slice(from).find((line) => pattern.test(line));
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.spec.name}: no line matching ${pattern} within ${timeoutMs} ms;` +
          ` last lines:\n${this.lines.slice(-20).join('\n')}`));
      }, timeoutMs);
      this.#waiters.push({ pattern, from, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${this.spec.name} exited while waiting for ${pattern};` +
          ` last lines:\n${this.lines.slice(-20).join('\n')}`));
      });
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) safeKill(this.pid, signal);
  }

  /** SIGKILL, then wait until the process is gone. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
  }
}

/** Owns the processes of one test; stopAll() at teardown kills whatever is still running. */
export class Launcher {
  readonly #processes: ManagedProcess[] = [];

  start(spec: LaunchSpec): ManagedProcess {
    const managed = new ManagedProcess(spec);
    this.#processes.push(managed);
    return managed;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#processes.map(async (p) => {
      p.resume();
      await p.kill();
    }));
  }
}
