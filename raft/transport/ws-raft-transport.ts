/**
 * The WebSocket implementation of RaftTransport plus the server side of the request channel.
 *
 * Each node listens once and keeps one outbound connection per peer (PeerLink): it sends its
 * Raft messages on its own outbound connection and receives the peer's on the connection the
 * peer opened to it. Two sockets per pair keep each direction's ordering and congestion
 * independent and make "who dials whom" trivial. Delivery is best-effort and FIFO per
 * connection; Raft tolerates loss, duplication and reordering across reconnects.
 *
 * Observers (KIP-595: brokers that follow the metadata log without voting) break that pattern:
 * they know the voters, but the voters do not know them and may be unable to reach them. With
 * acceptObservers, a hello from a node id that is not in `peers` is accepted as an observer
 * (at most maxObserverConnections at once), and send() to a node without an outbound link goes
 * back over that node's newest inbound connection: the socket the observer dialled, which its
 * PeerLink reads. A configured peer always gets its messages on our outbound link. Node ids are
 * trusted, not authenticated: a hello naming a configured peer is that peer, whoever sends it.
 *
 * onPeerDisconnected fires once for every established connection to or from a peer or observer
 * that closes (so typically twice when a peer process dies: its inbound and our outbound socket;
 * once when an observer goes), never for failed connection attempts, for a connection replaced
 * by a newer one from the same node, or during our own close().
 */
import { assert } from '../../lib/assert.js';
import type { NodeId, RaftMessage } from '../core/types.js';
import { CloseCode, TransportErrorCode } from './errors.js';
import { encodeFrame } from './frame-codec.js';
import type { InboundConnection, InboundContext } from './inbound-connection.js';
import { listenInbound } from './inbound-server.js';
import type { InboundServer } from './inbound-server.js';
import { MAX_CLUSTER_ID_LENGTH } from './frame-schema.js';
import type { RequestFrame } from './frame-schema.js';
import { resolveLimits } from './limits.js';
import type { TransportLimits } from './limits.js';
import { PeerLink } from './peer-link.js';
import { RequestDispatcher } from './request-dispatcher.js';
import { PeerCounters, TransportCounters } from './transport-stats.js';
import type { TransportStats } from './transport-stats.js';
import type { PeerAddress, RaftTransport, RequestHandler, RequestServer } from './types.js';

export interface WsRaftTransportOptions {
  readonly nodeId: NodeId;
  readonly clusterId: string;
  /** Port 0 picks an ephemeral port; read the bound one from `port`. */
  readonly listen: PeerAddress;
  /**
   * Every node we dial to send Raft messages (an observer lists the voters); self is ignored.
   * Observers that dial us need not be listed: see acceptObservers.
   */
  readonly peers: ReadonlyMap<NodeId, PeerAddress>;
  /**
   * Accept inbound peer hellos from node ids not in `peers` as observers, deliver their Raft
   * messages and answer them over their own connection (default false: closed with 4004).
   * A voter sets this so that brokers can follow the metadata log; bounded by
   * limits.maxObserverConnections.
   */
  readonly acceptObservers?: boolean;
  readonly limits?: Partial<TransportLimits>;
  /** Jitter source for reconnect backoff (defaults to Math.random). */
  readonly random?: () => number;
}

export interface WsRaftTransport extends RaftTransport, RequestServer {
  readonly nodeId: NodeId;
  /** The bound listening port. */
  readonly port: number;
  readonly limits: TransportLimits;
  /**
   * Adds a peer or moves it to a new address (its outbound connection is replaced; queued
   * messages are dropped). For listeners on ephemeral ports, whose addresses are known only
   * after start-up, and for re-addressed nodes; which nodes are voters is the core's business.
   */
  setPeerAddress(nodeId: NodeId, address: PeerAddress): void;
  stats(): TransportStats;
}

export async function createWsRaftTransport(
  options: WsRaftTransportOptions,
): Promise<WsRaftTransport> {
  const { nodeId, clusterId } = options;
  assert(Number.isSafeInteger(nodeId) && nodeId >= 0, 'nodeId must be a non-negative integer');
  assert(clusterId.length > 0 && clusterId.length <= MAX_CLUSTER_ID_LENGTH, 'bad clusterId');
  const transport = new Transport(options, resolveLimits(options.limits));
  await transport.start();
  return transport;
}

class Transport implements WsRaftTransport, InboundContext {
  readonly nodeId: NodeId;
  readonly selfId: NodeId;
  readonly clusterId: string;
  readonly limits: TransportLimits;
  readonly counters = new TransportCounters();
  private readonly peerStats = new Map<NodeId, PeerCounters>();
  private readonly links = new Map<NodeId, PeerLink>();
  /** The newest identified inbound connection of each peer and observer. */
  private readonly inboundPeers = new Map<NodeId, InboundConnection>();
  // Invariant: observerConnections.size <= limits.maxObserverConnections.
  /** Identified observer connections, less the superseded ones (which are closing). */
  private readonly observerConnections = new Set<InboundConnection>();
  private readonly acceptObservers: boolean;
  private readonly dispatcher: RequestDispatcher;
  private server: InboundServer | undefined;
  private messageHandler: ((message: RaftMessage) => void) | undefined;
  private disconnectHandler: ((nodeId: NodeId) => void) | undefined;
  private closing = false;
  /** Closes of replaced links, awaited by close(). */
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly options: WsRaftTransportOptions, limits: TransportLimits) {
    this.nodeId = this.selfId = options.nodeId;
    this.clusterId = options.clusterId;
    this.limits = limits;
    this.acceptObservers = options.acceptObservers ?? false;
    this.dispatcher = new RequestDispatcher(limits, this.counters);
    for (const [peerId, address] of options.peers) this.setPeerAddress(peerId, address);
  }

  setPeerAddress(peerId: NodeId, address: PeerAddress): void {
    assert(Number.isSafeInteger(peerId) && peerId >= 0, 'peer id must be a non-negative integer');
    if (peerId === this.nodeId || this.closing) return;
    let counters = this.peerStats.get(peerId);
    if (counters === undefined) {
      counters = new PeerCounters(peerId);
      this.peerStats.set(peerId, counters);
    }
    const previous = this.links.get(peerId);
    if (previous !== undefined) {
      const retired = previous.close().finally(() => this.retiring.delete(retired));
      this.retiring.add(retired);
    }
    const random = this.options.random;
    this.links.set(peerId, new PeerLink({
      selfId: this.nodeId, clusterId: this.clusterId, peerId, address, limits: this.limits,
      counters, transportCounters: this.counters,
      onMessage: (message) => this.deliver(message),
      onDisconnected: (id) => this.peerDisconnected(id),
      ...(random === undefined ? {} : { random }),
    }));
  }

  async start(): Promise<void> {
    const { host, port } = this.options.listen;
    this.server = await listenInbound(host, port, this);
  }

  get port(): number {
    assert(this.server !== undefined, 'transport not started');
    return this.server.port;
  }

  send(message: RaftMessage): void {
    assert(message.from === this.nodeId, `message from ${message.from} sent by ${this.nodeId}`);
    if (this.closing) {
      this.counters.unroutableMessages += 1;
      return;
    }
    const link = this.links.get(message.to);
    if (link !== undefined) {
      link.send(message);
      return;
    }
    // No address: the only way to the node is a connection it opened to us (an observer).
    const inbound = this.inboundPeers.get(message.to);
    if (inbound === undefined || inbound.isClosing) {
      this.counters.unroutableMessages += 1;
      return;
    }
    this.sendToObserver(inbound, message);
  }

  onMessage(handler: (message: RaftMessage) => void): void {
    assert(this.messageHandler === undefined, 'onMessage handler registered twice');
    this.messageHandler = handler;
  }

  onPeerDisconnected(handler: (nodeId: NodeId) => void): void {
    assert(this.disconnectHandler === undefined, 'onPeerDisconnected handler registered twice');
    this.disconnectHandler = handler;
  }

  onRequest(handler: RequestHandler): void {
    this.dispatcher.setHandler(handler);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all([
      ...[...this.links.values()].map((link) => link.close()),
      this.server?.close(),
      ...this.retiring,
    ]);
  }

  stats(): TransportStats {
    return {
      nodeId: this.nodeId,
      port: this.server?.port ?? 0,
      peers: [...this.peerStats.values()].map((counters) => counters.snapshot()),
      inboundConnections: this.server?.connections.size ?? 0,
      observerConnections: this.observerConnections.size,
      ...this.counters,
    };
  }

  // InboundContext: called by inbound connections.

  peerCounters(nodeId: NodeId): PeerCounters | undefined {
    return this.peerStats.get(nodeId);
  }

  admitObserver(nodeId: NodeId): { code: CloseCode; reason: string } | undefined {
    if (!this.acceptObservers) {
      return { code: CloseCode.misrouted, reason: `node ${nodeId} is not a configured peer` };
    }
    // An observer that dials again replaces its old connection, so it does not need room.
    const previous = this.inboundPeers.get(nodeId);
    const replacing = previous !== undefined && this.observerConnections.has(previous);
    if (!replacing && this.observerConnections.size >= this.limits.maxObserverConnections) {
      return { code: CloseCode.tryAgainLater, reason: 'too many observers' };
    }
    return undefined;
  }

  peerIdentified(connection: InboundConnection, nodeId: NodeId): void {
    const previous = this.inboundPeers.get(nodeId);
    this.inboundPeers.set(nodeId, connection);
    if (previous !== undefined) this.observerConnections.delete(previous);
    if (connection.observer) this.observerConnections.add(connection);
    const counters = this.peerStats.get(nodeId);
    if (counters !== undefined) counters.inboundConnected = true;
    if (previous !== undefined) {
      // The peer dialled again, so the old socket is dead or dying; the peer is alive.
      previous.suppressDisconnectSignal = true;
      void previous.close(CloseCode.superseded, 'replaced by a newer connection');
    }
  }

  deliver(message: RaftMessage): void {
    if (this.messageHandler === undefined || this.closing) {
      this.counters.unroutableMessages += 1;
      return;
    }
    this.messageHandler(message);
  }

  request(connection: InboundConnection, frame: RequestFrame): void {
    this.dispatcher.dispatch(connection, frame);
  }

  invalidRequest(connection: InboundConnection, correlationId: number, reason: string): void {
    this.dispatcher.rejectRequest(connection, correlationId, TransportErrorCode.invalidRequest,
      reason);
  }

  connectionClosed(connection: InboundConnection): void {
    const peerId = connection.peerId;
    if (peerId === undefined) return;
    this.observerConnections.delete(connection);
    if (this.inboundPeers.get(peerId) === connection) {
      this.inboundPeers.delete(peerId);
      const counters = this.peerStats.get(peerId);
      if (counters !== undefined) counters.inboundConnected = false;
    }
    if (!connection.suppressDisconnectSignal) {
      const counters = this.peerStats.get(peerId);
      if (counters !== undefined) counters.disconnects += 1;
      this.peerDisconnected(peerId);
    }
  }

  /**
   * Best effort and unqueued, like a full PeerLink: a congested observer loses the message and
   * Raft's fetch timeout resends (the observer pulls again).
   */
  private sendToObserver(connection: InboundConnection, message: RaftMessage): void {
    const socket = connection.socket;
    const frame = encodeFrame({ kind: 'raft', message });
    if (
      frame.byteLength > this.limits.maxFrameBytes ||
      socket.readyState !== socket.OPEN ||
      socket.bufferedAmount > this.limits.maxBufferedBytesPerConnection
    ) {
      this.counters.observerMessagesDropped += 1;
      return;
    }
    socket.send(frame, { binary: true });
    this.counters.observerMessagesSent += 1;
  }

  private peerDisconnected(nodeId: NodeId): void {
    if (this.closing) return;
    this.disconnectHandler?.(nodeId);
  }
}
