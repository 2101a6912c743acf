#!/usr/bin/env node
/**
 * kafka-server-start <config> [--override key=value ...]: runs a raftka node with the roles of
 * its `process.roles` (today: controller). The controller runs the metadata controller on the
 * Raft quorum. SIGTERM or SIGINT shut it down in order (a leader hands over first) and exit 0.
 */
import { runServerProcess } from './server/run-server.js';

runServerProcess('kafka-server-start', async (options) => {
  const { startQuorumControllerServer } = await import('../broker/quorum-controller-server.js');
  return await startQuorumControllerServer(options);
});
