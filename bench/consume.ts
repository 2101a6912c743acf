/**
 * The consumer benchmark: on the bench cluster, write `--records` 1 KiB records (acks=1), then
 * the consumer perf tool's engine reads them all back from the start; prints Kafka's header and
 * row and one JSON line.
 *   npm run bench -- consume [--records 300000] [--flush]
 */
import { parseArgs } from 'node:util';
import { consumerPerfJson, headerLine, runConsumerPerf } from '../cli/perf/consumer-perf.js';
import { runProducerPerf } from '../cli/perf/producer-perf.js';
import { BENCH_TOPIC, startDataCluster } from './data-cluster.js';
import { RECORD_BYTES } from './produce.js';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string', default: '300000' },
      flush: { type: 'boolean', default: false },
    },
  });
  const records = Number(values.records);
  const data = await startDataCluster({ flush: values.flush });
  try {
    await runProducerPerf({
      topic: BENCH_TOPIC, numRecords: records,
      payload: { kind: 'random', recordSize: RECORD_BYTES }, throughput: -1,
      producerProperties: new Map([['bootstrap.servers', data.bootstrap], ['acks', '1']]),
      reportingIntervalMs: 60_000,
    }, () => undefined);
    console.log(`consume: ${headerLine(false)}`);
    const stats = await runConsumerPerf({
      bootstrapServer: data.bootstrap, topic: BENCH_TOPIC, messages: records, timeoutMs: 30_000,
      hideHeader: true,
    }, (line) => console.log(`consume: ${line}`));
    const json = JSON.parse(consumerPerfJson(stats)) as Record<string, unknown>;
    console.log(JSON.stringify({ ...json, flush: values.flush }));
  } finally {
    await data.stop();
  }
}
