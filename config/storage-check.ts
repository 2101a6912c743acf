/**
 * The start-up check of a node's storage (KafkaRaftServer.initializeLogDirs, Kafka 3.7+): every
 * directory must be formatted, all must agree on cluster.id, and node.id must match the config.
 * A server calls this before opening any log and refuses to start on a StorageError, whose
 * message is Kafka's (with `kafka-storage` for `kafka-storage.sh`).
 */
import { randomUuid } from '../lib/uuid.js';
import { StorageError } from './errors.js';
import { type MetaProperties, writeMetaProperties } from './meta-properties.js';
import type { ServerConfig } from './server-config.js';
import { loadStorageEnsemble, storageDirectories, verifyEnsemble } from './storage-dirs.js';

export interface StorageIdentity {
  readonly clusterId: string;
  readonly nodeId: number;
  /** directory.id of each healthy directory, keyed by the directory as configured. */
  readonly directoryIds: ReadonlyMap<string, string>;
  /** Log directories whose meta.properties could not be read (Kafka keeps them offline). */
  readonly offlineDirs: readonly string[];
}

type StorageConfig = Pick<ServerConfig, 'logDirs' | 'metadataLogDir' | 'node.id'>;

export async function checkStorageForStartup(config: StorageConfig): Promise<StorageIdentity> {
  const ensemble = await loadStorageEnsemble(storageDirectories(config));
  const first = ensemble.formatted.values().next();
  if (first.done === true) throw new StorageError('No readable meta.properties files found.');
  verifyEnsemble(ensemble, { nodeId: config['node.id'] });
  const metadataFailure = ensemble.failed.get(config.metadataLogDir);
  if (metadataFailure !== undefined) {
    throw new StorageError(`Encountered I/O error in metadata log directory ` +
      `${config.metadataLogDir}. Cannot continue. (${metadataFailure})`);
  }
  const unformatted = ensemble.empty[0];
  if (unformatted !== undefined) {
    throw new StorageError(`No \`meta.properties\` found in ${unformatted} (have you run ` +
      '`kafka-storage` to format the directory?)');
  }
  const directoryIds = await assignMissingDirectoryIds(ensemble.formatted);
  return {
    clusterId: first.value.clusterId,
    nodeId: config['node.id'],
    directoryIds,
    offlineDirs: [...ensemble.failed.keys()],
  };
}

/**
 * Files written before KIP-858 have no directory.id; Kafka gives each such directory a fresh
 * one at start-up and rewrites its meta.properties, and so do we.
 */
async function assignMissingDirectoryIds(
  formatted: ReadonlyMap<string, MetaProperties>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const meta of formatted.values()) {
    if (meta.directoryId !== undefined) used.add(meta.directoryId);
  }
  for (const [dir, meta] of formatted) {
    if (meta.directoryId !== undefined) {
      ids.set(dir, meta.directoryId);
      continue;
    }
    const directoryId = freshDirectoryId(used);
    await writeMetaProperties(dir, { ...meta, directoryId });
    ids.set(dir, directoryId);
  }
  return ids;
}

/** A directory id as Kafka's DirectoryId makes them: not reserved (< 100), not already used. */
export function freshDirectoryId(used: Set<string>): string {
  for (;;) {
    const id = randomUuid(100);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
