#!/usr/bin/env node
/**
 * kafka-storage: prepares a node's storage directories, as Kafka's kafka-storage.sh does.
 *   kafka-storage random-uuid
 *   kafka-storage format -t <cluster-id> -c <config> [-g] [-r <version>] [-s | -I <voters> | -N]
 *   kafka-storage info -c <config>
 * Thin by design: yargs parses, config/ and cli/storage/ do the work (the engine,
 * cli/storage/storage-tool.ts, also runs inside tests). Every expected failure is one line per
 * problem on stderr and exit code 1, never a stack trace; `random-uuid` starts fast (scripts
 * call it in loops).
 */
import { runAsCommand } from './common/tool-main.js';
import { storageTool } from './storage/storage-tool.js';

runAsCommand(storageTool);
