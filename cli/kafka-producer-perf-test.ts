#!/usr/bin/env node
/**
 * kafka-producer-perf-test: the producer benchmark, as Kafka's kafka-producer-perf-test.sh.
 *   kafka-producer-perf-test --topic t --num-records 100000 --record-size 100 --throughput -1
 *       --producer-props bootstrap.servers=host:port acks=1 linger.ms=5 [--json]
 * Prints Kafka's progress line every 5 s and its total line (cli/perf/producer-perf.ts); with
 * --json, then one JSON line with the same numbers. Failed records are logged on stderr and
 * the run goes on (exit 0, as Kafka), except a failure of the first record, which ends it
 * (exit 1). Bad arguments print argparse4j's one-line error on stderr and exit 1.
 * The engine (cli/perf/producer-perf-tool.ts) also runs inside tests, on their streams.
 */
import { runAsCommand } from './common/tool-main.js';
import { producerPerfTool } from './perf/producer-perf-tool.js';

runAsCommand(producerPerfTool);
