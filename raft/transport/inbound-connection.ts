/**
 * One accepted connection: waits for the hello, then checks and routes every frame.
 *
 * Rules (a violation closes the connection with a CloseCode; only requests, which carry a
 * correlation id, are answered with an error response instead):
 *  - binary frames only; each must decode (msgpack) and validate (frameSchema);
 *  - the first frame is a hello, within helloTimeoutMs, and there is exactly one;
 *  - a peer hello names our cluster id and a node other than ourselves: a configured peer, or,
 *    if the owner admits it (acceptObservers, under maxObserverConnections), an observer;
 *    a client hello may name a cluster id, which must then be ours;
 *  - raft frames only on peer and observer connections, with `from` equal to the hello's nodeId
 *    and `to` equal to our node id;
 *  - request frames on any identified connection; response frames never.
 * Nothing here throws on bad input, so one bad connection cannot affect the others.
 */
import type { WebSocket, RawData } from 'ws';
import type { NodeId, RaftMessage } from '../core/types.js';
import { CloseCode } from './errors.js';
import { decodeFrame } from './frame-codec.js';
import type { HelloFrame, RequestFrame } from './frame-schema.js';
import type { TransportLimits } from './limits.js';
import { closeSocket } from '../../lib/ws-close.js';
import type { PeerCounters, TransportCounters } from './transport-stats.js';
import type { ConnectionInfo } from './types.js';

/** What a connection needs from the transport that owns it. */
export interface InboundContext {
  readonly selfId: NodeId;
  readonly clusterId: string;
  readonly limits: TransportLimits;
  readonly counters: TransportCounters;
  /** Counters of a configured peer, or undefined for an unknown node id. */
  peerCounters(nodeId: NodeId): PeerCounters | undefined;
  /**
   * A hello named a node id that is not a configured peer (nor ourselves): undefined admits it
   * as an observer, otherwise the connection is closed with the given code.
   */
  admitObserver(nodeId: NodeId): { readonly code: CloseCode; readonly reason: string } | undefined;
  /**
   * The hello identified a peer or an admitted observer (the owner may supersede an older
   * connection from it).
   */
  peerIdentified(connection: InboundConnection, nodeId: NodeId): void;
  deliver(message: RaftMessage): void;
  request(connection: InboundConnection, frame: RequestFrame): void;
  /** A request frame failed validation but its correlation id is known: answer it. */
  invalidRequest(connection: InboundConnection, correlationId: number, reason: string): void;
  /** The socket closed (for any reason, including our own close()). */
  connectionClosed(connection: InboundConnection): void;
}

export class InboundConnection {
  info: ConnectionInfo | undefined;
  /** Correlation ids of requests handed to the handler and not replied to yet. */
  readonly inFlight = new Set<number>();
  /** Set when we close it on purpose in a way that must not signal a peer failure. */
  suppressDisconnectSignal = false;
  /** The hello named a node that is not a configured peer and was admitted as an observer. */
  observer = false;
  private closing = false;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    readonly connectionId: number,
    readonly socket: WebSocket,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly context: InboundContext,
    onClosed: (connection: InboundConnection) => void,
  ) {
    this.helloTimer = setTimeout(() => {
      this.reject(CloseCode.handshakeFailed, 'no hello in time');
    }, context.limits.helloTimeoutMs);
    socket.on('message', (data, isBinary) => this.received(data, isBinary));
    socket.on('error', (error: Error & { code?: string }) => {
      // ws reports protocol violations (including frames over maxPayload, which it answers
      // with close code 1009) as errors on the socket and closes it; count, never crash.
      if (error.code?.startsWith('WS_ERR_') === true) context.counters.badFrames += 1;
    });
    socket.on('close', () => {
      clearTimeout(this.helloTimer);
      this.closing = true;
      onClosed(this);
    });
  }

  /** The peer's node id once a peer hello was accepted. */
  get peerId(): NodeId | undefined {
    const identity = this.info?.identity;
    return identity?.kind === 'peer' ? identity.nodeId : undefined;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Closes with a code and a reason (counted as a rejected connection). */
  reject(code: CloseCode, reason: string): void {
    if (this.closing) return;
    this.context.counters.rejectedConnections += 1;
    void this.close(code, reason);
  }

  close(code: CloseCode, reason: string): Promise<void> {
    this.closing = true;
    clearTimeout(this.helloTimer);
    return closeSocket(this.socket, code, reason, this.context.limits.closeGraceMs);
  }

  private received(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const counters = this.context.counters;
    if (!isBinary || !Buffer.isBuffer(data)) {
      counters.badFrames += 1;
      this.reject(CloseCode.unsupportedData, 'binary frames only');
      return;
    }
    const decoded = decodeFrame(data);
    if (!decoded.ok) {
      counters.badFrames += 1;
      if (decoded.correlationId !== undefined && this.info !== undefined) {
        this.context.invalidRequest(this, decoded.correlationId, decoded.reason);
      } else {
        this.reject(CloseCode.malformedFrame, decoded.reason);
      }
      return;
    }
    const frame = decoded.frame;
    if (this.info === undefined) {
      if (frame.kind === 'hello') this.hello(frame);
      else this.reject(CloseCode.handshakeFailed, 'first frame must be hello');
      return;
    }
    switch (frame.kind) {
      case 'raft':
        this.raft(frame.message, data.byteLength);
        return;
      case 'request':
        this.context.request(this, frame);
        return;
      case 'hello':
        this.reject(CloseCode.handshakeFailed, 'second hello');
        return;
      case 'response':
        this.reject(CloseCode.unexpectedFrame, 'response frame from the connecting side');
        return;
    }
  }

  private hello(frame: HelloFrame): void {
    const { selfId, clusterId } = this.context;
    const identity = frame.identity;
    if (identity.clusterId !== undefined && identity.clusterId !== clusterId) {
      this.reject(CloseCode.clusterIdMismatch, `cluster id mismatch: expected ${clusterId}`);
      return;
    }
    clearTimeout(this.helloTimer);
    const base = {
      connectionId: this.connectionId,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
    };
    if (identity.kind === 'client') {
      this.info = { ...base, identity: { kind: 'client', clientId: identity.clientId } };
      return;
    }
    if (identity.nodeId === selfId) {
      this.reject(CloseCode.misrouted, `node ${identity.nodeId} is this node`);
      return;
    }
    // Node ids are trusted (no authentication): a hello naming a configured peer is that peer,
    // whoever sent it. Any other id is an observer, if the owner admits observers at all.
    if (this.context.peerCounters(identity.nodeId) === undefined) {
      const refusal = this.context.admitObserver(identity.nodeId);
      if (refusal !== undefined) {
        this.reject(refusal.code, refusal.reason);
        return;
      }
      this.observer = true;
    }
    this.info = { ...base, identity: { kind: 'peer', nodeId: identity.nodeId } };
    this.context.peerIdentified(this, identity.nodeId);
  }

  private raft(message: RaftMessage, frameBytes: number): void {
    const peerId = this.peerId;
    if (peerId === undefined) {
      this.reject(CloseCode.unexpectedFrame, 'raft frame on a client connection');
      return;
    }
    if (message.from !== peerId) {
      this.reject(CloseCode.spoofedSender, `from ${message.from} on node ${peerId}'s connection`);
      return;
    }
    if (message.to !== this.context.selfId) {
      this.reject(CloseCode.misrouted, `message for node ${message.to}`);
      return;
    }
    const counters = this.context.peerCounters(peerId);
    if (counters !== undefined) {
      counters.messagesReceived += 1;
      counters.bytesReceived += frameBytes;
    } else {
      this.context.counters.observerMessagesReceived += 1;
    }
    this.context.deliver(message);
  }
}
