/**
 * The transport contract: best-effort delivery of Raft messages between controllers, plus a
 * request/response channel for users of the quorum (proposals, quorum status). Raft tolerates
 * loss, duplication and reordering, so send() never blocks and never throws: over a bounded
 * queue, messages are dropped and Raft's timeouts resend.
 */
import type { NodeId, RaftMessage } from '../core/types.js';

export interface RaftTransport {
  send(message: RaftMessage): void;
  onMessage(handler: (message: RaftMessage) => void): void;
  /** Called when an established connection to or from a peer closes (e.g. the peer crashed). */
  onPeerDisconnected(handler: (nodeId: NodeId) => void): void;
  close(): Promise<void>;
}
