/**
 * Paces the frames of one client connection, so that no connection can starve the others of
 * the broker's single thread (issue 9: one client's frames stalled every other client).
 *
 * - Fair share: a connection may spend `workPerTurnMs` per event-loop turn on handling its
 *   frames (decoding them and the synchronous part of serving them). Past its share, its next
 *   frames wait for the next turn (setImmediate), so the other connections' I/O, and timers
 *   such as the broker's heartbeat, run in between. A frame in progress always completes: the
 *   share bounds work between frames; request-limits.ts bounds the work of one frame.
 * - Backpressure: at most `maxInFlight` requests are unanswered (Kafka's queued.max.requests);
 *   more frames wait until an answer drains.
 * While frames wait, the socket is paused, so the client gets TCP backpressure and the queue
 * holds only what was already read. stop() drops everything still queued and what comes later
 * (a connection that is closing).
 */
import { assert } from '../../lib/assert.js';

/** The share of one connection per event-loop turn, ms. */
export const WORK_PER_TURN_MS = 5;

export interface ConnectionReaderOptions {
  /** Decodes and dispatches one frame; calls requestStarted() when a request is in flight. */
  readonly handle: (frame: Buffer) => void;
  readonly maxInFlight: number;
  readonly pause: () => void;
  readonly resume: () => void;
  readonly workPerTurnMs?: number;
  /** A monotonic clock in ms (performance.now by default). */
  readonly now?: () => number;
  /** Runs `callback` in the next event-loop turn (setImmediate by default). */
  readonly nextTurn?: (callback: () => void) => void;
}

export class ConnectionReader {
  readonly #options: ConnectionReaderOptions;
  readonly #workPerTurnMs: number;
  readonly #now: () => number;
  readonly #nextTurn: (callback: () => void) => void;
  // Invariant: the frames still to handle are #queue[#head..], in arrival order.
  readonly #queue: Buffer[] = [];
  #head = 0;
  // Invariant: 0 <= #inFlight <= maxInFlight (a frame is handled only below the limit, and
  // starts at most one request).
  #inFlight = 0;
  #spentMs = 0;
  #turnScheduled = false;
  #paused = false;
  #pumping = false;
  #stopped = false;

  constructor(options: ConnectionReaderOptions) {
    assert(options.maxInFlight >= 1, 'maxInFlight must be at least 1');
    this.#options = options;
    this.#workPerTurnMs = options.workPerTurnMs ?? WORK_PER_TURN_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#nextTurn = options.nextTurn ?? ((callback) => setImmediate(callback));
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Frames waiting to be handled. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  receive(frame: Buffer): void {
    if (this.#stopped) return;
    this.#queue.push(frame);
    this.#pump();
  }

  requestStarted(): void {
    assert(this.#inFlight < this.#options.maxInFlight, 'more requests in flight than allowed');
    this.#inFlight += 1;
  }

  requestFinished(): void {
    assert(this.#inFlight > 0, 'a request finished that never started');
    this.#inFlight -= 1;
    this.#pump();
  }

  /** Drops the queued frames and every later one; reading resumes so a close can complete. */
  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#head = 0;
    this.#setPaused(false);
  }

  #pump(): void {
    // handle() may answer synchronously and so call back into requestFinished(): the loop
    // below already picks up what that frees.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#stopped && this.queued > 0 && this.#inFlight < this.#options.maxInFlight &&
        this.#spentMs < this.#workPerTurnMs) {
        const frame = this.#queue[this.#head]!;
        this.#head += 1;
        const startedAt = this.#now();
        this.#options.handle(frame);
        this.#spentMs += this.#now() - startedAt;
        this.#scheduleTurn();
      }
    } finally {
      this.#pumping = false;
    }
    if (this.queued === 0) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    this.#setPaused(!this.#stopped &&
      (this.queued > 0 || this.#inFlight >= this.#options.maxInFlight));
  }

  /** The share is per turn: the next turn starts afresh and goes on with the queue. */
  #scheduleTurn(): void {
    if (this.#turnScheduled) return;
    this.#turnScheduled = true;
    this.#nextTurn(() => {
      this.#turnScheduled = false;
      this.#spentMs = 0;
      this.#pump();
    });
  }

  #setPaused(paused: boolean): void {
    if (paused === this.#paused) return;
    this.#paused = paused;
    if (paused) this.#options.pause();
    else this.#options.resume();
  }
}
