#!/usr/bin/env node
/**
 * kafka-server-start <config> [--override key=value ...]: runs a raftka node with the roles of
 * its `process.roles`: controller, broker, or both. SIGTERM or SIGINT shut it down in order (a
 * broker moves its leaderships away first, a controller hands its leadership over) and exit 0.
 */
import { runServerProcess } from './server/run-server.js';

runServerProcess('kafka-server-start', async (options) => {
  const { startKafkaNode } = await import('../server/kafka-node.js');
  return await startKafkaNode(options);
});
