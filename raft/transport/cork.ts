/**
 * Coalesces the frames written to one WebSocket during a burst into one writev. When a batch of
 * proposals commits, their replies are sent in the same microtask flush; uncorked, each costs a
 * write syscall of its own (a third of the leader's CPU at 128 proposals in flight). The socket
 * is corked at the first write and uncorked on the next tick, after the burst.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export function corkForBurst(ws: WebSocket): void {
  // ws keeps its net.Socket private; without it (never on Node) writes just are not coalesced.
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (socket === undefined || socket.writableCorked > 0) return;
  socket.cork();
  process.nextTick(() => socket.uncork());
}
