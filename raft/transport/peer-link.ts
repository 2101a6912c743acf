/**
 * The outbound half of the connection to one peer: created lazily on the first send, kept open,
 * re-established with jittered exponential backoff after a failure or close.
 *
 * States: idle (never used) -> connecting -> open -> waiting (backoff timer) -> connecting ...;
 * closed is terminal. Messages go straight to the socket while it is open and its buffered
 * amount is under maxBufferedBytesPerConnection; otherwise they wait in a bounded queue that
 * drops its oldest message when full (Raft resends lost messages on its own timeouts).
 * The queue drains when the connection opens and whenever a queued write reaches the kernel.
 *
 * The socket also carries Raft messages back: a voter answers an observer (which it has no
 * address for) over the connection the observer dialled. They are checked like inbound frames
 * (decoded and validated, raft frames only, `from` the peer, `to` us); a violation closes the
 * socket with its CloseCode and the link reconnects as after any close.
 *
 * One ws.send per message, no linger. Corking the TCP socket for the rest of the event-loop turn
 * (so a burst leaves in one writev) was measured with the throughput test and showed no gain
 * within noise (encode/decode CPU dominates), so it is not done.
 */
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { assert } from '../../lib/assert.js';
import { connect, endpointUrl } from '../../lib/connector.js';
import type { NodeId, RaftMessage } from '../core/types.js';
import { backoffDelayMs } from './backoff.js';
import { DropOldestQueue } from './bounded-queue.js';
import { CloseCode } from './errors.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { PROTOCOL_VERSION } from './frame-schema.js';
import type { TransportLimits } from './limits.js';
import { closeSocket } from '../../lib/ws-close.js';
import type { PeerCounters, TransportCounters } from './transport-stats.js';
import type { PeerAddress } from './types.js';

export interface PeerLinkOptions {
  readonly selfId: NodeId;
  readonly clusterId: string;
  readonly peerId: NodeId;
  readonly address: PeerAddress;
  readonly limits: TransportLimits;
  readonly counters: PeerCounters;
  /** Where frames that fail decoding or validation on this link are counted. */
  readonly transportCounters: TransportCounters;
  /** A validated Raft message from the peer arrived on our outbound connection. */
  readonly onMessage: (message: RaftMessage) => void;
  /** An open connection closed (not called for failed connection attempts). */
  readonly onDisconnected: (peerId: NodeId) => void;
  readonly random?: () => number;
}

/** Fixed per-message allowance for the queue's byte estimate (envelope and numbers). */
const MESSAGE_OVERHEAD_ESTIMATE_BYTES = 128;
const ENTRY_OVERHEAD_ESTIMATE_BYTES = 40;

interface QueuedMessage {
  readonly message: RaftMessage;
  readonly estimatedBytes: number;
}

type LinkState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export class PeerLink {
  private state: LinkState = 'idle';
  private socket: WebSocket | undefined;
  private readonly queue: DropOldestQueue<QueuedMessage>;
  // Invariant: queuedBytes is the sum of estimatedBytes over the queue.
  private queuedBytes = 0;
  /** Consecutive failed attempts; reset once a connection has stayed open long enough. */
  private failures = 0;
  private openedAtMs = 0;
  private everOpened = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** One shared write callback (no closure per message): drains the queue as writes complete. */
  private readonly onWritten = (): void => {
    if (this.queue.length > 0) this.flush();
  };

  constructor(private readonly options: PeerLinkOptions) {
    const { port } = options.address;
    assert(Number.isInteger(port) && port > 0 && port < 65536,
      `bad port ${port} for peer ${options.peerId}`);
    assert(URL.canParse(endpointUrl(options.address)), `bad address for peer ${options.peerId}`);
    this.queue = new DropOldestQueue(options.limits.maxQueuedMessagesPerPeer);
  }

  send(message: RaftMessage): void {
    const counters = this.options.counters;
    if (this.state === 'closed') {
      counters.messagesDropped += 1;
      return;
    }
    if (this.queue.length === 0 && this.writable()) {
      this.write(message);
      return;
    }
    this.enqueue(message);
    if (this.state === 'idle') this.connect();
    else if (this.state === 'open') this.flush();
  }

  close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    this.options.counters.messagesDropped += this.queue.length;
    this.queue.clear();
    this.queuedBytes = 0;
    this.options.counters.queuedMessages = 0;
    this.options.counters.connected = false;
    const socket = this.socket;
    if (socket === undefined) return Promise.resolve();
    const { closeGraceMs } = this.options.limits;
    return closeSocket(socket, CloseCode.goingAway, 'shutting down', closeGraceMs);
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private writable(): boolean {
    const socket = this.socket;
    return (
      this.state === 'open' &&
      socket !== undefined &&
      socket.readyState === WebSocket.OPEN &&
      socket.bufferedAmount <= this.options.limits.maxBufferedBytesPerConnection
    );
  }

  private write(message: RaftMessage): void {
    const counters = this.options.counters;
    const frame = encodeFrame({ kind: 'raft', message });
    if (frame.byteLength > this.options.limits.maxFrameBytes) {
      counters.messagesDroppedOversized += 1;
      return;
    }
    const socket = this.socket;
    assert(socket !== undefined, 'write() is only called while writable()');
    socket.send(frame, { binary: true }, this.onWritten);
    counters.messagesSent += 1;
    counters.bytesSent += frame.byteLength;
  }

  private enqueue(message: RaftMessage): void {
    const { limits, counters } = this.options;
    const estimatedBytes = estimateBytes(message);
    const dropped = this.queue.push({ message, estimatedBytes });
    this.queuedBytes += estimatedBytes;
    if (dropped !== undefined) this.dropped(dropped);
    while (this.queuedBytes > limits.maxQueuedBytesPerPeer && this.queue.length > 1) {
      const oldest = this.queue.shift();
      if (oldest !== undefined) this.dropped(oldest);
    }
    counters.queuedMessages = this.queue.length;
  }

  private dropped(item: QueuedMessage): void {
    this.queuedBytes -= item.estimatedBytes;
    this.options.counters.messagesDropped += 1;
  }

  private flush(): void {
    while (this.queue.length > 0 && this.writable()) {
      const item = this.queue.shift();
      assert(item !== undefined, 'queue length was positive');
      this.queuedBytes -= item.estimatedBytes;
      this.write(item.message);
    }
    this.options.counters.queuedMessages = this.queue.length;
  }

  private connect(): void {
    const { address, limits, counters } = this.options;
    this.state = 'connecting';
    counters.connectAttempts += 1;
    const socket = connect(address, {
      maxFrameBytes: limits.maxFrameBytes, handshakeTimeoutMs: limits.connectTimeoutMs,
    });
    this.socket = socket;
    socket.on('open', () => this.opened(socket));
    socket.on('message', (data, isBinary) => this.received(socket, data, isBinary));
    // 'close' always follows 'error'; all recovery happens there.
    socket.on('error', () => undefined);
    socket.on('close', () => this.closed(socket));
  }

  private opened(socket: WebSocket): void {
    if (this.state !== 'connecting' || this.socket !== socket) return;
    const { counters, selfId, clusterId } = this.options;
    this.state = 'open';
    this.openedAtMs = Date.now();
    if (this.everOpened) counters.reconnects += 1;
    this.everOpened = true;
    counters.connected = true;
    const identity = { kind: 'peer' as const, nodeId: selfId, clusterId };
    socket.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, identity }));
    this.flush();
  }

  /** Validates a frame from the peer exactly as InboundConnection does for its raft frames. */
  private received(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (this.socket !== socket || this.state !== 'open') return;
    if (socket.readyState !== WebSocket.OPEN) return; // we are closing it already
    const { peerId, selfId, counters, transportCounters } = this.options;
    if (!isBinary || !Buffer.isBuffer(data)) {
      transportCounters.badFrames += 1;
      this.reject(socket, CloseCode.unsupportedData, 'binary frames only');
      return;
    }
    const decoded = decodeFrame(data);
    if (!decoded.ok) {
      transportCounters.badFrames += 1;
      this.reject(socket, CloseCode.malformedFrame, decoded.reason);
      return;
    }
    const frame = decoded.frame;
    if (frame.kind !== 'raft') {
      this.reject(socket, CloseCode.unexpectedFrame, `${frame.kind} frame on an outbound link`);
      return;
    }
    const message = frame.message;
    if (message.from !== peerId) {
      this.reject(socket, CloseCode.spoofedSender, `from ${message.from} on node ${peerId}'s link`);
      return;
    }
    if (message.to !== selfId) {
      this.reject(socket, CloseCode.misrouted, `message for node ${message.to}`);
      return;
    }
    counters.messagesReceived += 1;
    counters.bytesReceived += data.byteLength;
    this.options.onMessage(message);
  }

  /** Closes the socket (not the link): closed() then reconnects with backoff. */
  private reject(socket: WebSocket, code: CloseCode, reason: string): void {
    void closeSocket(socket, code, reason, this.options.limits.closeGraceMs);
  }

  private closed(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    const { counters, limits, random } = this.options;
    const wasOpen = this.state === 'open';
    if (this.state === 'closed') return;
    counters.connected = false;
    if (wasOpen) {
      // A connection that lived for a while proves the peer healthy: restart the backoff. One
      // that the peer closed at once (e.g. it rejects our hello) keeps backing off.
      if (Date.now() - this.openedAtMs >= limits.reconnectBackoffMaxMs) this.failures = 0;
      counters.disconnects += 1;
      this.options.onDisconnected(this.options.peerId);
    }
    if (this.isClosed()) return; // the callback may have closed the transport
    const delayMs = backoffDelayMs(this.failures, {
      initialMs: limits.reconnectBackoffInitialMs,
      maxMs: limits.reconnectBackoffMaxMs,
      ...(random === undefined ? {} : { random }),
    });
    this.failures += 1;
    this.state = 'waiting';
    this.reconnectTimer = setTimeout(() => {
      if (this.state === 'waiting') this.connect();
    }, delayMs);
  }
}

function estimateBytes(message: RaftMessage): number {
  const body = message.body;
  let bytes = MESSAGE_OVERHEAD_ESTIMATE_BYTES;
  if (body.type === 'FetchResponse') {
    for (const entry of body.entries) {
      bytes += entry.data.byteLength + ENTRY_OVERHEAD_ESTIMATE_BYTES;
    }
  } else if (body.type === 'FetchSnapshotResponse') {
    bytes += body.bytes.byteLength;
  }
  return bytes;
}

