/**
 * One combined node for the suites that talk to a broker's listener with raw frames (bad
 * clients, costly frames): started with the given extra properties, with one single-partition
 * topic `good` for the well-behaved client, stopped at the end of the test file.
 */
import type { Test } from 'tap';
import { KafkaCluster } from './kafka-cluster.js';

export interface SingleNode {
  readonly cluster: KafkaCluster;
  /** The broker listener as a WebSocket URL, for clients that send hand-built frames. */
  readonly url: string;
}

export async function startSingleNode(
  t: Test, extraProperties?: Readonly<Record<string, string | number>>,
): Promise<SingleNode> {
  const cluster = await KafkaCluster.create({
    controllers: 1, brokers: 0, combined: true,
    ...(extraProperties === undefined ? {} : { extraProperties }),
  });
  t.teardown(() => cluster.stop());
  await cluster.startAll();
  const admin = cluster.kafka().admin();
  await admin.createTopics({ topics: [{ topic: 'good', numPartitions: 1 }] });
  await admin.disconnect();
  return { cluster, url: `ws://${cluster.bootstrap()[0]}` };
}
