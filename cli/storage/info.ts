/**
 * `kafka-storage info`: reports the storage directories of a node in Kafka's exact format
 * (StorageTool.infoCommand): the directories found, the metadata of the first formatted one,
 * then the problems. Returns the exit code: 1 when there is any problem.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { osReason } from '../../config/fs-errors.js';
import {
  META_PROPERTIES_FILE,
  type MetaProperties,
  metaPropertiesEntries,
  readMetaProperties,
} from '../../config/meta-properties.js';
import type { ServerConfig } from '../../config/server-config.js';
import { storageDirectories } from '../../config/storage-dirs.js';

const MISMATCHED_CLUSTER_IDS = 'Mismatched cluster IDs between storage directories.';
const MISMATCHED_NODE_IDS = 'Mismatched node IDs between storage directories.';

export async function storageInfo(
  config: Pick<ServerConfig, 'logDirs' | 'metadataLogDir'>,
  print: (line: string) => void,
): Promise<number> {
  const directories = storageDirectories(config);
  const problems: string[] = [];
  const found: string[] = [];
  let first: MetaProperties | undefined;
  for (const configured of directories) {
    const dir = javaPathString(configured);
    const kind = await fileKind(dir);
    if (kind !== 'directory') {
      problems.push(kind === 'missing' ? `${dir} does not exist` : `${dir} is not a directory`);
      continue;
    }
    found.push(dir);
    let meta: MetaProperties | undefined;
    try {
      meta = await readMetaProperties(dir);
    } catch (error) {
      problems.push(`Error loading ${join(dir, META_PROPERTIES_FILE)}: ${osReason(error)}`);
      continue;
    }
    if (meta === undefined) problems.push(`${dir} is not formatted.`);
    else if (first === undefined) first = meta;
    else if (first.clusterId !== meta.clusterId) problems.push(MISMATCHED_CLUSTER_IDS);
    else if (first.nodeId !== meta.nodeId) problems.push(MISMATCHED_NODE_IDS);
  }
  if (directories.length === 0) {
    print('No directories specified.');
    return 0;
  }
  if (found.length > 0) {
    print(found.length === 1 ? 'Found log directory:' : 'Found log directories:');
    for (const dir of found) print(`  ${dir}`);
    print('');
  }
  if (first !== undefined) {
    // Java's TreeMap.toString: keys sorted, `{k=v, k=v}`.
    const fields = metaPropertiesEntries(first).sort(([a], [b]) => (a < b ? -1 : 1));
    print(`Found metadata: {${fields.map(([key, value]) => `${key}=${value}`).join(', ')}}`);
    print('');
  }
  if (problems.length === 0) return 0;
  print(problems.length === 1 ? 'Found problem:' : 'Found problems:');
  for (const problem of problems) print(`  ${problem}`);
  print('');
  return 1;
}

async function fileKind(path: string): Promise<'directory' | 'other' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/** How java.nio Path prints a path: repeated and trailing slashes removed. */
function javaPathString(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}
