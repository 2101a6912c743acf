/**
 * `meta.properties`, the identity file Kafka keeps in every log directory (MetaProperties.java):
 * `version=1`, `cluster.id`, `node.id` and `directory.id`. Version 0 files belong to ZooKeeper
 * clusters and are refused. Written like Properties.store, atomically (atomic-file.ts).
 */
import { join } from 'node:path';
import { uuidFromString } from '../lib/uuid.js';
import { writeFileAtomically } from './atomic-file.js';
import { readTextIfExists } from './fs-errors.js';
import { parseProperties, storeProperties } from './properties.js';

export const META_PROPERTIES_FILE = 'meta.properties';

export interface MetaProperties {
  readonly version: 1;
  readonly clusterId: string;
  readonly nodeId: number;
  /** Absent in files written before KIP-858 (Kafka 3.7); the server then assigns one. */
  readonly directoryId?: string;
}

export function metaPropertiesPath(dir: string): string {
  return join(dir, META_PROPERTIES_FILE);
}

/**
 * Reads `<dir>/meta.properties`. Returns undefined when the file (or the directory) does not
 * exist; throws the fs error for other I/O failures and an Error for invalid content.
 */
export async function readMetaProperties(dir: string): Promise<MetaProperties | undefined> {
  const path = metaPropertiesPath(dir);
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  return parseMetaProperties(text, path);
}

export function parseMetaProperties(text: string, path: string): MetaProperties {
  const parsed = parseProperties(text);
  const error = parsed.errors[0];
  if (error !== undefined) throw new Error(`${path}:${error.line}: ${error.message}`);
  const props = new Map(parsed.entries.map((entry) => [entry.key, entry.value.trim()]));
  const version = props.get('version') ?? '0';
  if (version !== '1') {
    throw new Error(version === '0'
      ? `${path} is a version 0 (ZooKeeper mode) file; raftka reads only version 1 (KRaft) files`
      : `Unknown meta.properties version number ${version} in ${path}`);
  }
  const clusterId = props.get('cluster.id');
  if (clusterId === undefined || clusterId === '') {
    throw new Error(`cluster.id was not specified in the v1 file: ${path}`);
  }
  const nodeIdText = props.get('node.id');
  if (nodeIdText === undefined) throw new Error(`node.id was not specified in ${path}`);
  if (!/^\d+$/.test(nodeIdText) || Number(nodeIdText) > 2 ** 31 - 1) {
    throw new Error(`Invalid node.id '${nodeIdText}' in ${path}`);
  }
  const directoryId = props.get('directory.id');
  if (directoryId !== undefined && uuidFromString(directoryId) === undefined) {
    throw new Error(`Invalid directory.id '${directoryId}' in ${path}`);
  }
  const base = { version: 1 as const, clusterId, nodeId: Number(nodeIdText) };
  return directoryId === undefined ? base : { ...base, directoryId };
}

/** The Properties form, keys sorted (Java's order is hash order, so any order is faithful). */
export function metaPropertiesEntries(meta: MetaProperties): [string, string][] {
  const entries: [string, string][] = [['cluster.id', meta.clusterId]];
  if (meta.directoryId !== undefined) entries.push(['directory.id', meta.directoryId]);
  entries.push(['node.id', String(meta.nodeId)], ['version', String(meta.version)]);
  return entries;
}

export async function writeMetaProperties(
  dir: string,
  meta: MetaProperties,
  now = new Date(),
): Promise<void> {
  // Kafka calls Properties.store(writer, ""), which writes an empty comment line and the date.
  const text = storeProperties(metaPropertiesEntries(meta), '', now);
  await writeFileAtomically(metaPropertiesPath(dir), text);
}
