/**
 * `npm start`: one combined broker+controller node with embedded defaults, as Kafka's
 * quickstart runs it, without a config file or a separate format step. On first run the data
 * directory is formatted with a new cluster id (printed); later runs reuse it. The node listens
 * on localhost only: PLAINTEXT on 9092 for clients, CONTROLLER on 9093.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../config/errors.js';
import { parseProperties } from '../../config/properties.js';
import { buildServerConfig, type ServerConfig } from '../../config/server-config.js';
import { checkStorageForStartup } from '../../config/storage-check.js';
import { randomUuid } from '../../lib/uuid.js';
import { formatStorage } from '../storage/format.js';

export const EMBEDDED_SOURCE = '(embedded defaults)';

/** The defaults, under Kafka's names; `log.dirs` comes from --data-dir. */
export function embeddedProperties(dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    'controller.quorum.voters=1@localhost:9093',
    'listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093',
    'advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    `log.dirs=${dataDir}`,
    '',
  ].join('\n');
}

export function embeddedConfig(dataDir: string, overrides: readonly string[]): ServerConfig {
  const parsed = parseProperties(embeddedProperties(resolve(dataDir)));
  const result = buildServerConfig({
    fileName: EMBEDDED_SOURCE, entries: parsed.entries, parseErrors: parsed.errors, overrides,
  });
  if (!result.ok) throw new ConfigError(result.errors, result.warnings);
  return result.config;
}

/** Formats the node's directories on first run; returns the cluster id either way. */
export async function ensureFormatted(
  config: ServerConfig, print: (line: string) => void,
): Promise<string> {
  const dirs = [...new Set([...config.logDirs, config.metadataLogDir])];
  if (!dirs.every((dir) => existsSync(join(dir, 'meta.properties')))) {
    const clusterId = randomUuid();
    await formatStorage({ config, clusterId, print, ignoreFormatted: true });
    print(`Formatted a new cluster with cluster id ${clusterId}`);
  }
  return (await checkStorageForStartup(config)).clusterId;
}
