#!/usr/bin/env node
/**
 * kafka-console-producer: sends each line of standard input to a topic, as Kafka's
 * kafka-console-producer.sh does.
 *   kafka-console-producer --bootstrap-server host:port --topic t
 *       [--property parse.key=true --property key.separator=:] [--sync]
 *       [--request-required-acks all|-1|0|1] [--compression-codec [gzip]] [--timeout ms] ...
 * It exits 0 once the input ends and every record is acknowledged. A line without the key
 * separator prints `No key separator found on line number N: '<line>'` and exits 1 (unless
 * --property ignore.error=true); with --sync a failed send exits 1; otherwise failed sends are
 * logged on stderr, as Kafka's ErrorLoggingCallback logs them. The `>` prompt is printed only
 * when standard input is a terminal, so piped input gives clean output (Kafka always prints it).
 * SIGINT/SIGTERM stop reading and flush what was read. Bad arguments print one line on stderr
 * and exit 1; no stack traces. The client and yargs are imported lazily.
 * The engine (cli/console-producer/console-producer-tool.ts) also runs inside tests, on their
 * streams.
 */
import { runAsCommand } from './common/tool-main.js';
import { consoleProducerTool } from './console-producer/console-producer-tool.js';

runAsCommand(consoleProducerTool);
