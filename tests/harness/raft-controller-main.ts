/**
 * A Raft-only controller process (`node dist/tests/harness/raft-controller-main.js <config>`):
 * kafka-server-start's life cycle around a quorum member that applies opaque entries to a
 * digest. The Raft benchmark and the Raft process tests use it to measure consensus alone.
 */
import { runServerProcess } from '../../cli/server/run-server.js';
import { startControllerServer } from './raft-controller-server.js';

runServerProcess('raft-controller', startControllerServer);
