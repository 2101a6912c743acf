/**
 * The cluster the data-plane benchmarks run on, as the issue sets it: three nodes on loopback
 * (combined broker+controller processes, so that three server processes share the two cores,
 * as the three JetStream servers of the anchor do), one topic of 6 partitions, replication
 * factor 3, min.insync.replicas 2; `flush` adds log.flush.interval.messages=1 (fsync before
 * every acknowledgement).
 */
import { KafkaCluster } from '../tests/harness/kafka-cluster.js';

export const BENCH_TOPIC = 'bench';
export const BENCH_PARTITIONS = 6;

export interface DataCluster {
  readonly cluster: KafkaCluster;
  readonly bootstrap: string;
  stop(): Promise<void>;
}

export async function startDataCluster(options: { readonly flush: boolean }): Promise<DataCluster> {
  const cluster = await KafkaCluster.create({
    controllers: 3,
    brokers: 0,
    combined: true,
    extraProperties: {
      'min.insync.replicas': 2,
      'default.replication.factor': 3,
      ...(options.flush ? { 'log.flush.interval.messages': 1 } : {}),
    },
  });
  try {
    await cluster.startAll();
    const admin = cluster.kafka().admin();
    await admin.createTopics({
      topics: [{ topic: BENCH_TOPIC, numPartitions: BENCH_PARTITIONS, replicationFactor: 3 }],
    });
    await admin.disconnect();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { cluster, bootstrap: cluster.bootstrap().join(','), stop: () => cluster.stop() };
}
