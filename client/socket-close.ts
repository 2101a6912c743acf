/**
 * Closing a WebSocket without hanging: send a close frame, wait up to a grace period for the
 * close handshake, then destroy the socket (ws alone waits 30 s for an unresponsive peer).
 */
import { WebSocket } from 'ws';

export function closeSocket(socket: WebSocket, code: number, reason: string, graceMs: number) {
  return new Promise<void>((resolve) => {
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
      socket.terminate(); // aborts the handshake; ws emits 'error', then 'close'
    } else if (socket.readyState === WebSocket.OPEN) {
      // RFC 6455 §5.5: the reason fits in 123 bytes; ours are short ASCII.
      socket.close(code, reason.slice(0, 120));
    }
  });
}
