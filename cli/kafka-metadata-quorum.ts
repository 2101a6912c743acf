#!/usr/bin/env node
/**
 * kafka-metadata-quorum: describes the metadata (Raft) quorum, as Kafka's
 * kafka-metadata-quorum.sh does.
 *   kafka-metadata-quorum --bootstrap-server host:port describe --status
 *   kafka-metadata-quorum --bootstrap-server host:port describe --replication [--human-readable]
 * It asks through the admin client (DescribeCluster for the cluster id, DescribeQuorum); a
 * broker answers DescribeQuorum by asking the quorum. --bootstrap-controller is accepted and
 * its addresses are used the same way, so they must serve the client protocol.
 * Bad arguments and failures print one line on stderr and exit 1; no stack traces. The engine
 * (cli/quorum/quorum-tool.ts) also runs inside tests, on their streams.
 */
import { runAsCommand } from './common/tool-main.js';
import { quorumTool } from './quorum/quorum-tool.js';

runAsCommand(quorumTool);
