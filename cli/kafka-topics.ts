#!/usr/bin/env node
/**
 * kafka-topics: create, list, describe, delete and alter topics, as Kafka's kafka-topics.sh.
 *   kafka-topics --bootstrap-server host:port --create --topic t [--partitions n]
 *       [--replication-factor n] [--config k=v]... [--if-not-exists]
 *   kafka-topics --bootstrap-server host:port --list|--describe|--delete|--alter
 *       [--topic regex] [--partitions n] [--if-exists] ...
 * Output is Kafka's, line for line (cli/topics/). Failures of the operation print
 * `Error while executing topic command : <message>` on stdout and exit 1, as Kafka does; bad
 * arguments print one line on stderr and exit 1. No stack traces: anything else is a bug and
 * crashes. The engine (cli/topics/topics-tool.ts) also runs inside tests, on their streams.
 */
import { runAsCommand } from './common/tool-main.js';
import { topicsTool } from './topics/topics-tool.js';

runAsCommand(topicsTool);
