/**
 * Broker liveness, kept in memory by the active controller only (Kafka's
 * BrokerHeartbeatManager): when each broker last heartbeated, which metadata offset it had
 * reached, and the offset of its controlled-shutdown records. None of it is in the log, so
 * standbys do not have it: a newly active controller starts every registered broker's
 * session at its activation time (Kafka does the same), which gives silent brokers one more
 * full session timeout before they are fenced.
 */
import type { MetadataImage } from '../image/image-types.js';

interface Session {
  lastContactMs: number;
  /** The broker's currentMetadataOffset from its last heartbeat; -1 before the first. */
  metadataOffset: number;
  /** Offset of the entry that put it in controlled shutdown; -1 when not shutting down. */
  controlledShutdownOffset: number;
}

export class BrokerSessions {
  readonly #sessions = new Map<number, Session>();

  constructor(readonly sessionTimeoutMs: number) {}

  /** On activation: every registered broker starts a session now. */
  reset(image: MetadataImage, nowMs: number): void {
    this.#sessions.clear();
    for (const brokerId of image.cluster.brokers.keys()) this.register(brokerId, nowMs);
  }

  clear(): void {
    this.#sessions.clear();
  }

  register(brokerId: number, nowMs: number): void {
    this.#sessions.set(brokerId,
      { lastContactMs: nowMs, metadataOffset: -1, controlledShutdownOffset: -1 });
  }

  touch(brokerId: number, nowMs: number, metadataOffset: number): void {
    const session = this.#sessions.get(brokerId);
    if (session === undefined) {
      this.#sessions.set(brokerId,
        { lastContactMs: nowMs, metadataOffset, controlledShutdownOffset: -1 });
      return;
    }
    session.lastContactMs = Math.max(session.lastContactMs, nowMs);
    session.metadataOffset = Math.max(session.metadataOffset, metadataOffset);
  }

  remove(brokerId: number): void {
    this.#sessions.delete(brokerId);
  }

  /** Kafka's hasValidSession: heartbeated within broker.session.timeout.ms. */
  hasValidSession(brokerId: number, nowMs: number): boolean {
    const session = this.#sessions.get(brokerId);
    return session !== undefined && session.lastContactMs + this.sessionTimeoutMs >= nowMs;
  }

  setControlledShutdownOffset(brokerId: number, offset: number): void {
    const session = this.#sessions.get(brokerId);
    if (session !== undefined) session.controlledShutdownOffset = offset;
  }

  controlledShutdownOffset(brokerId: number): number {
    return this.#sessions.get(brokerId)?.controlledShutdownOffset ?? -1;
  }

  /** The lowest metadata offset any unfenced broker reported (Infinity when there is none). */
  lowestActiveOffset(image: MetadataImage): number {
    let lowest = Infinity;
    for (const broker of image.cluster.brokers.values()) {
      if (broker.fenced) continue;
      lowest = Math.min(lowest, this.#sessions.get(broker.brokerId)?.metadataOffset ?? -1);
    }
    return lowest;
  }

  /** Unfenced brokers whose session expired, in id order. */
  staleBrokers(image: MetadataImage, nowMs: number): number[] {
    const stale: number[] = [];
    for (const broker of image.cluster.brokers.values()) {
      if (broker.fenced || this.hasValidSession(broker.brokerId, nowMs)) continue;
      stale.push(broker.brokerId);
    }
    return stale.sort((a, b) => a - b);
  }
}
