/**
 * End-to-end latency at a fixed rate (issue: the data plane): on the bench cluster, a consumer
 * in this process follows the topic from its end while a producer sends 1 KiB records at
 * `--rate` records/s for `--seconds` (acks=-1, linger.ms=0). Each record carries its send time
 * (performance.now(), the same clock on both sides); the latency of a record is the time from
 * send() to its delivery to eachMessage. The acknowledgement latency (send() to the producer's
 * ack, what the JetStream anchor measures as publish-ack) is printed too.
 *   npm run bench -- e2e [--rate 5000] [--seconds 10] [--warmup 2] [--flush]
 */
import { parseArgs } from 'node:util';
import { pollUntil } from '../tests/harness/wait-for.js';
import { BENCH_PARTITIONS, BENCH_TOPIC, startDataCluster } from './data-cluster.js';
import { RECORD_BYTES } from './produce.js';
import { LatencyRecorder, round } from './stats.js';

const TICK_MS = 1;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string', default: '5000' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      flush: { type: 'boolean', default: false },
    },
  });
  const rate = Number(values.rate);
  const warmupMs = Number(values.warmup) * 1000;
  const measureMs = Number(values.seconds) * 1000;
  const data = await startDataCluster({ flush: values.flush });
  const kafka = data.cluster.kafka(undefined, 'bench-e2e');
  const consumer = kafka.consumer({ maxWaitTimeInMs: 500 });
  const producer = kafka.producer({ lingerMs: 0 });
  try {
    await consumer.connect();
    await producer.connect();
    const endToEnd = new LatencyRecorder();
    const acked = new LatencyRecorder();
    let measuring = false;
    let received = 0;
    consumer.assign([{ topic: BENCH_TOPIC, partitions: [...Array(BENCH_PARTITIONS).keys()] }]);
    await consumer.run({
      eachMessage: async ({ message }) => {
        received++;
        const sentAt = message.value?.readDoubleLE(0) ?? 0;
        if (measuring && sentAt > 0) endToEnd.record(performance.now() - sentAt);
      },
    });
    await pollUntil('the consumer to reach the end of every partition', () =>
      ([...Array(BENCH_PARTITIONS).keys()].every((partition) =>
        consumer.position({ topic: BENCH_TOPIC, partition }) !== null) ? true : undefined),
    10_000);
    const payload = Buffer.alloc(RECORD_BYTES, 65);
    const start = performance.now();
    const end = start + warmupMs + measureMs;
    let sent = 0;
    let failed = 0;
    while (performance.now() < end) {
      const now = performance.now();
      measuring = now >= start + warmupMs;
      const due = Math.floor(((now - start) * rate) / 1000);
      for (; sent < due; sent++) {
        const value = Buffer.from(payload);
        const sentAt = performance.now();
        value.writeDoubleLE(sentAt, 0);
        const measured = measuring;
        producer.send({ topic: BENCH_TOPIC, acks: -1, messages: [{ value }] }).then(() => {
          if (measured) acked.record(performance.now() - sentAt);
        }, () => {
          failed++;
        });
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await pollUntil('every record to be delivered', () => (received >= sent - failed ? true : undefined),
      30_000);
    const e2e = endToEnd.summary();
    const ack = acked.summary();
    const achieved = (endToEnd.count * 1000) / measureMs;
    const flush = values.flush ? ' flush=1' : '';
    console.log(`e2e rate=${rate}${flush}: ${endToEnd.count} records measured ` +
      `(${achieved.toFixed(1)} records/sec), end-to-end ${e2e.avgMs.toFixed(2)} ms avg, ` +
      `${e2e.p50Ms.toFixed(2)} ms 50th, ${e2e.p95Ms.toFixed(2)} ms 95th, ` +
      `${e2e.p99Ms.toFixed(2)} ms 99th, ${e2e.p999Ms.toFixed(2)} ms 99.9th, ` +
      `${e2e.maxMs.toFixed(2)} ms max; acks=-1 acknowledgement ${ack.p50Ms.toFixed(2)} ms 50th, ` +
      `${ack.p99Ms.toFixed(2)} ms 99th. failed=${failed}`);
    console.log(JSON.stringify({
      bench: 'e2e', rate, flush: values.flush, records: endToEnd.count,
      p50Ms: round(e2e.p50Ms), p99Ms: round(e2e.p99Ms), p999Ms: round(e2e.p999Ms),
      maxMs: round(e2e.maxMs), ackP50Ms: round(ack.p50Ms), ackP99Ms: round(ack.p99Ms), failed,
    }));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await data.stop();
  }
}
