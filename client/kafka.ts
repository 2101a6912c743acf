/**
 * The entry point, shaped like KafkaJS: `new Kafka({ clientId, brokers })`, then `.admin()`,
 * `.producer()` or `.consumer()`. The configuration is checked here, once; each admin,
 * producer and consumer gets its own connections.
 */
import { Admin } from './admin.js';
import type { AdminConfig } from './admin.js';
import { Cluster } from './cluster.js';
import { resolveConfig } from './config.js';
import { Consumer } from './consumer/index.js';
import type { ConsumerConfig } from './consumer/index.js';
import { Producer } from './producer/index.js';
import type { ProducerConfig } from './producer/index.js';
import type { KafkaConfig, ResolvedConfig } from './config.js';

export class Kafka {
  private readonly config: ResolvedConfig;

  /** Throws a RaftkaError naming the field when the configuration is invalid. */
  constructor(config: KafkaConfig) {
    this.config = resolveConfig(config);
  }

  admin(config: AdminConfig = {}): Admin {
    return new Admin(new Cluster(this.config), config);
  }

  producer(config: ProducerConfig = {}): Producer {
    return new Producer(new Cluster(this.config), config);
  }

  consumer(config: ConsumerConfig = {}): Consumer {
    return new Consumer(new Cluster(this.config), config);
  }
}
