/**
 * Closing a WebSocket without hanging: send a close frame with a code and reason, wait up to a
 * grace period for the close handshake, then destroy the socket. ws alone would wait 30 s for an
 * unresponsive peer.
 */
import { WebSocket } from 'ws';

/** RFC 6455 §5.5: a control frame payload is at most 125 bytes, 2 of them the code. */
const MAX_CLOSE_REASON_BYTES = 123;

export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/** The close in progress of each socket, so that a second call adds no listener. */
const closing = new WeakMap<WebSocket, Promise<void>>();

/**
 * Resolves once the socket has emitted 'close'. Never rejects. A socket is closed once: later
 * calls (a bad client's next frames, a shutdown) get the first call's promise, so a socket
 * never collects a close listener per call (Node warns past 10 listeners).
 */
export function closeSocket(socket: WebSocket, code: number, reason: string, graceMs: number) {
  const pending = closing.get(socket);
  if (pending !== undefined) return pending;
  const closed = new Promise<void>((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => socket.terminate(), graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === WebSocket.CONNECTING) {
      // close() during the handshake aborts it; ws then emits 'error' (handled by the owner).
      socket.terminate();
    } else if (socket.readyState === WebSocket.OPEN) {
      socket.close(code, closeReason(reason));
    }
  });
  closing.set(socket, closed);
  return closed;
}
