/**
 * Broker registration changes folded from records (Kafka's ClusterDelta). A registration is
 * replaced whole by a RegisterBrokerRecord (a restart is a new registration with a new epoch),
 * changed by a BrokerRegistrationChangeRecord and removed by an UnregisterBrokerRecord; the
 * latter two must name the current broker epoch.
 */
import { check } from '../../lib/check.js';
import {
  ControlledShutdownChange, FencingChange, type BrokerRegistrationChangeRecord,
  type RegisterBrokerRecord, type UnregisterBrokerRecord,
} from '../records/record-types.js';
import type { BrokerRegistration, ClusterImage } from './image-types.js';

export class ClusterDelta {
  /** New registrations by broker id; null when the broker was unregistered. */
  readonly #changes = new Map<number, BrokerRegistration | null>();

  constructor(readonly image: ClusterImage) {}

  get changes(): ReadonlyMap<number, BrokerRegistration | null> {
    return this.#changes;
  }

  broker(brokerId: number): BrokerRegistration | undefined {
    const changed = this.#changes.get(brokerId);
    if (changed !== undefined) return changed ?? undefined;
    return this.image.brokers.get(brokerId);
  }

  replayRegister(record: RegisterBrokerRecord): void {
    const previous = this.broker(record.brokerId);
    check(previous === undefined || record.brokerEpoch > previous.brokerEpoch,
      () => `RegisterBrokerRecord for broker ${record.brokerId} does not raise its epoch`);
    this.#changes.set(record.brokerId, {
      brokerId: record.brokerId,
      incarnationId: record.incarnationId,
      brokerEpoch: record.brokerEpoch,
      endPoints: record.endPoints,
      rack: record.rack,
      fenced: record.fenced,
      inControlledShutdown: record.inControlledShutdown,
      logDirs: record.logDirs,
    });
  }

  replayUnregister(record: UnregisterBrokerRecord): void {
    this.#current(record.brokerId, record.brokerEpoch, 'UnregisterBrokerRecord');
    this.#changes.set(record.brokerId, null);
  }

  replayChange(record: BrokerRegistrationChangeRecord): void {
    const current = this.#current(record.brokerId, record.brokerEpoch,
      'BrokerRegistrationChangeRecord');
    let fenced = current.fenced;
    if (record.fenced === FencingChange.fence) fenced = true;
    if (record.fenced === FencingChange.unfence) fenced = false;
    const inControlledShutdown = current.inControlledShutdown ||
      record.inControlledShutdown === ControlledShutdownChange.inControlledShutdown;
    this.#changes.set(record.brokerId, { ...current, fenced, inControlledShutdown });
  }

  /** For a snapshot load: every broker is gone unless the snapshot registers it. */
  markAllDeleted(): void {
    for (const brokerId of this.image.brokers.keys()) this.#changes.set(brokerId, null);
  }

  apply(): ClusterImage {
    if (this.#changes.size === 0) return this.image;
    let brokers = this.image.brokers;
    for (const [brokerId, registration] of this.#changes) {
      brokers = registration === null ?
        brokers.delete(brokerId) : brokers.set(brokerId, registration);
    }
    return { brokers };
  }

  #current(brokerId: number, brokerEpoch: number, what: string): BrokerRegistration {
    const current = this.broker(brokerId);
    check(current !== undefined && current.brokerEpoch === brokerEpoch,
      () => `${what} for broker ${brokerId} epoch ${brokerEpoch}, which is not registered`);
    return current;
  }
}
