#!/usr/bin/env node
/**
 * kafka-console-consumer: writes the records of a topic to standard output, as Kafka's
 * kafka-console-consumer.sh does.
 *   kafka-console-consumer --bootstrap-server host:port --topic t [--from-beginning]
 *       [--partition p [--offset n|earliest|latest]] [--max-messages n] [--timeout-ms ms]
 *       [--property print.key=true --property key.separator=:] ...
 * Without --partition it reads every partition of the topic; it starts at the end unless
 * --from-beginning (or --offset). It ends after --max-messages records, after --timeout-ms
 * without a record, or on SIGINT/SIGTERM, printing `Processed a total of N messages` on stderr
 * and exiting 0. --group is accepted (consumer groups come later). If the consumer fails it
 * prints `ERROR Error processing message, terminating consumer process: <message>` and the
 * count, and exits 1 (Kafka exits 0 there). Bad arguments print one line on stderr and exit 1.
 * The engine (cli/console-consumer/console-consumer-tool.ts) also runs inside tests, on their
 * streams.
 */
import { runAsCommand } from './common/tool-main.js';
import { consoleConsumerTool } from './console-consumer/console-consumer-tool.js';

runAsCommand(consoleConsumerTool);
