/**
 * The producer benchmark (issue: the data plane): on the bench cluster (data-cluster.ts), the
 * producer perf tool's engine in this process sends `--records` 1 KiB records, unthrottled,
 * once per acks level, and prints Kafka's total line and one JSON line per level.
 *   npm run bench -- produce [--records 300000] [--acks -1,1] [--flush]
 */
import { parseArgs } from 'node:util';
import { producerPerfJson, runProducerPerf } from '../cli/perf/producer-perf.js';
import { BENCH_TOPIC, startDataCluster } from './data-cluster.js';

export const RECORD_BYTES = 1024;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string', default: '300000' },
      acks: { type: 'string', default: '-1,1' },
      flush: { type: 'boolean', default: false },
    },
  });
  const data = await startDataCluster({ flush: values.flush });
  try {
    for (const acks of values.acks.split(',')) {
      const stats = await runProducerPerf({
        topic: BENCH_TOPIC,
        numRecords: Number(values.records),
        payload: { kind: 'random', recordSize: RECORD_BYTES },
        throughput: -1,
        producerProperties: new Map([['bootstrap.servers', data.bootstrap], ['acks', acks]]),
        reportingIntervalMs: 60_000,
      }, (line) => console.log(`produce acks=${acks}${values.flush ? ' flush=1' : ''}: ${line}`));
      const json = JSON.parse(producerPerfJson(stats)) as Record<string, unknown>;
      console.log(JSON.stringify({ ...json, flush: values.flush }));
    }
  } finally {
    await data.stop();
  }
}
