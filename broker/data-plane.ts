/**
 * The contract between the broker server (server/broker/broker-server.ts) and the data plane it
 * builds once it knows its identity: what the data plane is given, and what it must answer.
 * ReplicaManager (replica/) implements it.
 */
import type { ServerConfig } from '../config/server-config.js';
import type { MetadataDelta, MetadataImage } from '../metadata/index.js';
import type { DataPlaneApis } from './api/request-router.js';
import type { ControllerChannel } from './controller-channel.js';

/** What the data plane needs to hear from the broker (the replica manager implements it). */
export interface DataPlane extends DataPlaneApis {
  /** A committed metadata delta and the image after it (called in log order). */
  onMetadata(delta: MetadataDelta, image: MetadataImage): void;
  close(): Promise<void>;
}

export interface DataPlaneContext {
  readonly config: ServerConfig;
  readonly brokerId: number;
  readonly image: () => MetadataImage;
  readonly channel: ControllerChannel;
  readonly brokerEpoch: () => number;
  readonly topicDefaults: ReadonlyMap<string, string>;
  readonly log: (line: string) => void;
}
