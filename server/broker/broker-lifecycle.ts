/**
 * The broker's side of the KIP-631 lifecycle (Kafka's BrokerLifecycleManager):
 *
 *  STARTING --register--> RECOVERY --caught up and unfenced--> RUNNING
 *  RUNNING --SIGTERM--> PENDING_CONTROLLED_SHUTDOWN --shouldShutDown--> SHUTTING_DOWN
 *
 * - Registration carries a new incarnation id per process start; the reply's broker epoch is
 *   the offset of the registration record. INCONSISTENT_CLUSTER_ID is fatal at once; other
 *   refusals (DUPLICATE_BROKER_REGISTRATION while another process with this node.id is alive)
 *   are retried until initial.broker.registration.timeout.ms, then fatal.
 * - A heartbeat goes out every broker.heartbeat.interval.ms with the offset of the last
 *   metadata record this broker applied; it asks to stay fenced until `readyToUnfence` says the
 *   broker can serve what it will be given. The controller unfences it once it has caught up to
 *   its own registration. A broker fenced by the controller (its session expired, e.g. while
 *   paused) keeps heartbeating and is unfenced again the same way.
 * - A heartbeat answered with STALE_BROKER_EPOCH or BROKER_ID_NOT_REGISTERED means the
 *   registration is gone (replaced or expired): the broker registers again.
 * - Controlled shutdown: heartbeats with wantShutDown, sent quickly, until the controller says
 *   shouldShutDown (its leaderships have moved away) or the deadline passes.
 * One log line per state change.
 */
import { randomUuid } from '../../lib/uuid.js';
import type {
  BrokerHeartbeatReply, BrokerRegistrationReply, BrokerRegistrationRequest,
} from '../../metadata/index.js';
import { ControllerApi, type ControllerReply } from '../../protocol/controller/index.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { ControllerChannel } from '../../broker/controller-channel.js';

export const BrokerState = {
  STARTING: 'STARTING',
  RECOVERY: 'RECOVERY',
  RUNNING: 'RUNNING',
  PENDING_CONTROLLED_SHUTDOWN: 'PENDING_CONTROLLED_SHUTDOWN',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
} as const;
export type BrokerState = (typeof BrokerState)[keyof typeof BrokerState];

/** Heartbeats during controlled shutdown go out this often, not at the heartbeat interval. */
const SHUTDOWN_HEARTBEAT_MS = 50;
const REGISTRATION_RETRY_MS = 250;
/** While fenced, heartbeats go out this often, so a broker that has caught up is unfenced
 *  without waiting a whole heartbeat interval (Kafka heartbeats at once when ready). */
const RECOVERY_HEARTBEAT_MS = 100;

export class FatalBrokerError extends Error {}

/** What the broker registers (everything but the incarnation id, made per process) and how. */
export interface BrokerLifecycleOptions
  extends Omit<BrokerRegistrationRequest, 'incarnationId'> {
  readonly channel: ControllerChannel;
  readonly heartbeatIntervalMs: number;
  readonly registrationTimeoutMs: number;
  /** The offset of the last metadata record applied locally (-1 for none). */
  readonly metadataOffset: () => number;
  /** False while the broker cannot yet serve leaderships (logs loading, metadata behind). */
  readonly readyToUnfence: () => boolean;
  readonly log: (line: string) => void;
  /** Called once when the broker cannot go on (e.g. a fatal registration error). */
  readonly onFatal: (error: FatalBrokerError) => void;
}

export class BrokerLifecycle {
  readonly incarnationId = randomUuid();
  readonly #options: BrokerLifecycleOptions;
  #state: BrokerState = BrokerState.STARTING;
  #brokerEpoch = -1;
  #fenced = true;
  #wantShutDown = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #heartbeatInFlight = false;
  #shutdownWaiter: (() => void) | undefined;

  constructor(options: BrokerLifecycleOptions) {
    this.#options = options;
  }

  get state(): BrokerState {
    return this.#state;
  }

  get brokerEpoch(): number {
    return this.#brokerEpoch;
  }

  get isFenced(): boolean {
    return this.#fenced;
  }

  /** Registers (retrying until the registration timeout), then heartbeats until closed. */
  async start(): Promise<void> {
    await this.#register(Date.now() + this.#options.registrationTimeoutMs);
    this.#setState(BrokerState.RECOVERY);
    this.#schedule(0);
  }

  /**
   * Asks the controller to move this broker's leaderships away and resolves once it agrees
   * (shouldShutDown) or `timeoutMs` passed; either way the broker may then stop.
   */
  async controlledShutdown(timeoutMs: number): Promise<boolean> {
    if (this.#closed || this.#brokerEpoch < 0) return false;
    this.#wantShutDown = true;
    this.#setState(BrokerState.PENDING_CONTROLLED_SHUTDOWN);
    const agreed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#shutdownWaiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.#schedule(0);
    const result = await agreed;
    this.#setState(BrokerState.SHUTTING_DOWN);
    return result;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  async #register(deadline: number): Promise<void> {
    const options = this.#options;
    const request: BrokerRegistrationRequest = {
      brokerId: options.brokerId,
      clusterId: options.clusterId,
      incarnationId: this.incarnationId,
      listeners: options.listeners,
      rack: options.rack,
      logDirs: options.logDirs,
    };
    let lastLogged = '';
    for (;;) {
      const remaining = deadline - Date.now();
      if (this.#closed) throw new FatalBrokerError('closed before the registration completed');
      if (remaining <= 0) {
        throw new FatalBrokerError(`Broker ${options.brokerId} could not register with the ` +
          `controller quorum within initial.broker.registration.timeout.ms ` +
          `(${options.registrationTimeoutMs} ms): ${lastLogged || 'no answer'}`);
      }
      const reply: ControllerReply<BrokerRegistrationReply> = await options.channel.call(
        ControllerApi.registerBroker, request, Math.min(remaining, 5_000));
      if (reply.errorCode === ErrorCode.NONE && reply.brokerEpoch !== undefined) {
        this.#brokerEpoch = reply.brokerEpoch;
        options.log(`[BrokerLifecycleManager id=${options.brokerId}] Successfully registered ` +
          `broker ${options.brokerId} with broker epoch ${reply.brokerEpoch} ` +
          `(incarnation ${this.incarnationId})`);
        return;
      }
      if (reply.errorCode === ErrorCode.INCONSISTENT_CLUSTER_ID) {
        throw new FatalBrokerError(`The controller quorum refused this broker: ${reply.message}`);
      }
      const line = `${reply.error}: ${reply.message}`;
      if (line !== lastLogged) {
        options.log(`[BrokerLifecycleManager id=${options.brokerId}] Unable to register: ${line}`);
        lastLogged = line;
      }
      await new Promise((resolve) => setTimeout(resolve, REGISTRATION_RETRY_MS));
    }
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#heartbeat();
    }, delayMs);
  }

  async #heartbeat(): Promise<void> {
    if (this.#closed || this.#heartbeatInFlight) return;
    this.#heartbeatInFlight = true;
    const options = this.#options;
    const wantShutDown = this.#wantShutDown;
    const reply: ControllerReply<BrokerHeartbeatReply> = await options.channel.call(
      ControllerApi.brokerHeartbeat, {
        brokerId: options.brokerId,
        brokerEpoch: this.#brokerEpoch,
        currentMetadataOffset: options.metadataOffset(),
        wantFence: !wantShutDown && !options.readyToUnfence(),
        wantShutDown,
      }, options.heartbeatIntervalMs);
    this.#heartbeatInFlight = false;
    if (this.#closed) return;
    const next = (): void => this.#schedule(this.#wantShutDown ? SHUTDOWN_HEARTBEAT_MS
      : this.#fenced ? Math.min(RECOVERY_HEARTBEAT_MS, options.heartbeatIntervalMs)
        : options.heartbeatIntervalMs);
    if (reply.errorCode === ErrorCode.STALE_BROKER_EPOCH ||
      reply.errorCode === ErrorCode.BROKER_ID_NOT_REGISTERED) {
      options.log(`[BrokerLifecycleManager id=${options.brokerId}] The registration is gone ` +
        `(${reply.error}); registering again`);
      this.#fenced = true;
      this.#setState(BrokerState.RECOVERY);
      this.#register(Date.now() + options.registrationTimeoutMs).then(next, (error: unknown) => {
        if (!this.#closed) options.onFatal(error as FatalBrokerError);
      });
      return;
    }
    if (reply.errorCode !== ErrorCode.NONE) {
      next();
      return;
    }
    const wasFenced = this.#fenced;
    this.#fenced = reply.isFenced === true;
    if (wasFenced !== this.#fenced) {
      options.log(`[BrokerLifecycleManager id=${options.brokerId}] The controller has ` +
        `${this.#fenced ? 'fenced' : 'unfenced'} broker ${options.brokerId}`);
    }
    if (reply.shouldShutDown === true) {
      this.#shutdownWaiter?.();
      this.#shutdownWaiter = undefined;
      return;
    }
    if (!this.#wantShutDown) {
      this.#setState(this.#fenced ? BrokerState.RECOVERY : BrokerState.RUNNING);
    }
    next();
  }

  #setState(state: BrokerState): void {
    if (state === this.#state) return;
    this.#options.log(`[BrokerLifecycleManager id=${this.#options.brokerId}] Transitioning ` +
      `from ${this.#state} to ${state}`);
    this.#state = state;
  }
}
