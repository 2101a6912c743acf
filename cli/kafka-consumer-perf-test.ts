#!/usr/bin/env node
/**
 * kafka-consumer-perf-test: the consumer benchmark, as Kafka's kafka-consumer-perf-test.sh.
 *   kafka-consumer-perf-test --bootstrap-server host:port --topic t --messages 100000
 *       [--from-latest] [--fetch-size bytes] [--timeout ms] [--show-detailed-stats]
 *       [--reporting-interval ms] [--hide-header] [--json]
 * Prints Kafka's header and result row (cli/perf/consumer-perf.ts); with --json, then one JSON
 * line. A run that times out prints Kafka's WARNING and its row, and exits 0 as Kafka does.
 * Bad arguments print one line on stderr and exit 1; a client failure prints `ERROR <message>`
 * and exits 1.
 * The engine (cli/perf/consumer-perf-tool.ts) also runs inside tests, on their streams.
 */
import { runAsCommand } from './common/tool-main.js';
import { consumerPerfTool } from './perf/consumer-perf-tool.js';

runAsCommand(consumerPerfTool);
