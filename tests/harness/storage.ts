/**
 * A test node's cluster id and formatted storage, made by kafka-storage's engine in this
 * process: the code behind `kafka-storage random-uuid` and `format`, without starting a node
 * process per call (tests/cli/kafka-storage.test.ts tests the command itself).
 */
import { runInProcess } from './tool-runner.js';

async function kafkaStorage(args: readonly string[]): Promise<string> {
  const run = await runInProcess('kafka-storage', args);
  if (run.code !== 0) {
    throw new Error(`kafka-storage ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  }
  return run.stdout;
}

export async function newClusterId(): Promise<string> {
  return (await kafkaStorage(['random-uuid'])).trim();
}

/** Formats the storage of the node configured in `configPath` for `clusterId`. */
export async function formatStorage(configPath: string, clusterId: string): Promise<void> {
  await kafkaStorage(['format', '-t', clusterId, '-c', configPath]);
}
