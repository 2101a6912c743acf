/**
 * How the listener treats a client connection that sends what it must not: the first problem
 * is logged, with its reason, and no later one (a bad client sending a stream of bad frames
 * would otherwise flood the log, issue 9); the connection is closed once, and while it closes
 * its frames are dropped unread.
 */
import type { WebSocket } from 'ws';
import { closeSocket } from '../../lib/ws-close.js';

export interface GuardedConnection {
  readonly id: number;
  readonly remoteAddress: string;
}

export class ConnectionGuard {
  readonly #socket: WebSocket;
  readonly #connection: GuardedConnection;
  readonly #log: (line: string) => void;
  readonly #closeGraceMs: number;
  #reported = false;
  #closing = false;

  constructor(socket: WebSocket, connection: GuardedConnection, log: (line: string) => void,
    closeGraceMs: number) {
    this.#socket = socket;
    this.#connection = connection;
    this.#log = log;
    this.#closeGraceMs = closeGraceMs;
  }

  /** True once this guard or anyone else began closing the socket: drop its frames. */
  get closing(): boolean {
    return this.#closing || this.#socket.readyState !== this.#socket.OPEN;
  }

  /** Logs the connection's first problem; later ones are counted out of the log. */
  report(problem: string): void {
    if (this.#reported) return;
    this.#reported = true;
    const { id, remoteAddress } = this.#connection;
    this.#log(`Client connection ${id} from ${remoteAddress}: ${problem} ` +
      '(later problems on this connection are not logged)');
  }

  /** Closes the connection with `code` and `reason` (sent to the client), once. */
  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.report(`closing it (${code}): ${reason}`);
    void closeSocket(this.#socket, code, reason, this.#closeGraceMs);
  }
}
