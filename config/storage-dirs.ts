/**
 * The directories a node keeps data in, and what each one holds on disk right now.
 * The set is log.dirs (or log.dir) plus metadata.log.dir, sorted and without duplicates, as
 * Kafka's StorageTool.configToLogDirectories builds it; every one gets a meta.properties.
 */
import type { ServerConfig } from './server-config.js';
import { type MetaProperties, readMetaProperties } from './meta-properties.js';
import { StorageError } from './errors.js';
import { osReason } from './fs-errors.js';
import { metaPropertiesPath } from './meta-properties.js';

export function storageDirectories(
  config: Pick<ServerConfig, 'logDirs' | 'metadataLogDir'>,
): string[] {
  // Plain code-unit order, the order of Java's TreeSet<String>.
  return [...new Set([...config.logDirs, config.metadataLogDir])].sort();
}

/** What the directories hold, after MetaPropertiesEnsemble.Loader. */
export interface StorageEnsemble {
  /** Directories with a readable, valid meta.properties, in the order given. */
  readonly formatted: ReadonlyMap<string, MetaProperties>;
  /** Directories without meta.properties, or that do not exist yet. */
  readonly empty: readonly string[];
  /** Directories that could not be read, with the reason. */
  readonly failed: ReadonlyMap<string, string>;
}

export async function loadStorageEnsemble(dirs: readonly string[]): Promise<StorageEnsemble> {
  const formatted = new Map<string, MetaProperties>();
  const empty: string[] = [];
  const failed = new Map<string, string>();
  for (const dir of dirs) {
    try {
      const meta = await readMetaProperties(dir);
      if (meta === undefined) empty.push(dir);
      else formatted.set(dir, meta);
    } catch (error) {
      failed.set(dir, osReason(error));
    }
  }
  return { formatted, empty, failed };
}

export interface Expected {
  readonly clusterId?: string;
  readonly nodeId?: number;
}

/**
 * MetaPropertiesEnsemble.verify: every formatted directory agrees on cluster.id (the first one
 * read sets the expectation unless one is given) and on node.id, and no directory id repeats.
 */
export function verifyEnsemble(ensemble: StorageEnsemble, expected: Expected): void {
  let clusterId = expected.clusterId;
  let nodeId = expected.nodeId;
  const seenDirectoryIds = new Map<string, string>();
  for (const [dir, meta] of ensemble.formatted) {
    const path = metaPropertiesPath(dir);
    if (clusterId === undefined) clusterId = meta.clusterId;
    else if (meta.clusterId !== clusterId) {
      throw new StorageError(`Invalid cluster.id in: ${path}. Expected ${clusterId}, but read ` +
        `${meta.clusterId}`);
    }
    if (nodeId === undefined) nodeId = meta.nodeId;
    else if (meta.nodeId !== nodeId) {
      throw new StorageError(nodeIdMismatch(meta.nodeId, nodeId, path));
    }
    if (meta.directoryId !== undefined) {
      const previous = seenDirectoryIds.get(meta.directoryId);
      if (previous !== undefined) {
        throw new StorageError(`Duplicate directory ID ${meta.directoryId} found. It was the ` +
          `directory ID of ${previous}, but also of ${dir}`);
      }
      seenDirectoryIds.set(meta.directoryId, dir);
    }
  }
}

export function nodeIdMismatch(stored: number, expected: number, path: string): string {
  return `Stored node id ${stored} doesn't match previous node id ${expected} in ${path}. ` +
    'If you moved your data, make sure your configured node id matches. If you intend to ' +
    'create a new node, you should remove all data in your data directories.';
}
