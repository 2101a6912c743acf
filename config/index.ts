/**
 * config/: everything a node reads before it starts.
 * - server.properties: a Java .properties parser (properties.ts), the zod schema of every key
 *   with Kafka's names, types and defaults (server-keys.ts), values Kafka derives from several
 *   keys (server-derived.ts), Kafka's cross-key rules (server-rules.ts), and the loader that
 *   reports every problem with file:line (server-config.ts, load.ts).
 * - storage layout: the directory set (log.dirs ∪ metadata.log.dir), meta.properties in each,
 *   bootstrap.checkpoint with the chosen metadata.version, and the start-up storage check.
 * Contracts: a config that loads is internally consistent (the rules ran), so later code trusts
 * it; expected failures are ConfigError / StorageError with operator-ready one-line messages;
 * files are replaced atomically (temp file, fsync, rename, fsync of the directory).
 */
export { ConfigError, StorageError } from './errors.js';
export {
  parseProperties,
  storeProperties,
  type ParsedProperties,
  type PropertyEntry,
  type PropertyError,
} from './properties.js';
export {
  isServerKey,
  PROCESS_ROLES,
  serverKeySchemas,
  serverKeysSchema,
  type ProcessRole,
  type ServerKey,
  type ServerKeyValues,
} from './server-keys.js';
export type { DerivedConfig } from './server-derived.js';
export {
  buildServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  type ServerConfigResult,
} from './server-config.js';
export { loadServerConfig, type LoadedServerConfig } from './load.js';
export {
  LONG_MAX_SATURATED,
  SECURITY_PROTOCOLS,
  type HostPort,
  type Listener,
  type SecurityProtocol,
  type Voter,
} from './values.js';
export { writeFileAtomically } from './atomic-file.js';
export {
  META_PROPERTIES_FILE,
  metaPropertiesPath,
  readMetaProperties,
  writeMetaProperties,
  type MetaProperties,
} from './meta-properties.js';
export {
  loadStorageEnsemble,
  storageDirectories,
  verifyEnsemble,
  type StorageEnsemble,
} from './storage-dirs.js';
export { checkStorageForStartup, freshDirectoryId, type StorageIdentity } from './storage-check.js';
export {
  LATEST_METADATA_VERSION,
  metadataVersionFromLevel,
  parseReleaseVersion,
  type MetadataVersion,
} from './metadata-version.js';
export {
  BOOTSTRAP_CHECKPOINT_FILE,
  readBootstrapCheckpoint,
  writeBootstrapCheckpoint,
  type BootstrapCheckpoint,
  type InitialVoter,
} from './bootstrap-checkpoint.js';
