/**
 * `kafka-storage format`: writes meta.properties and bootstrap.checkpoint into every empty
 * storage directory of a node, with Kafka's checks, messages and order (StorageTool.scala and
 * Formatter.java, 3.9): directories that disagree on cluster.id or node.id are refused before
 * --ignore-formatted is considered, and meta.properties is written last in each directory so a
 * directory that has it is complete.
 */
import { mkdir } from 'node:fs/promises';
import {
  type BootstrapCheckpoint,
  type InitialVoter,
  writeBootstrapCheckpoint,
} from '../../config/bootstrap-checkpoint.js';
import { StorageError } from '../../config/errors.js';
import { osReason } from '../../config/fs-errors.js';
import { writeMetaProperties } from '../../config/meta-properties.js';
import {
  LATEST_METADATA_VERSION,
  type MetadataVersion,
  parseReleaseVersion,
} from '../../config/metadata-version.js';
import type { ServerConfig } from '../../config/server-config.js';
import { freshDirectoryId } from '../../config/storage-check.js';
import {
  loadStorageEnsemble,
  storageDirectories,
  verifyEnsemble,
} from '../../config/storage-dirs.js';
import { parseInitialControllers, standaloneVoters } from './initial-controllers.js';

export interface FormatOptions {
  readonly config: ServerConfig;
  readonly clusterId: string;
  readonly ignoreFormatted?: boolean;
  readonly releaseVersion?: string;
  readonly standalone?: boolean;
  readonly initialControllers?: string;
  readonly noInitialControllers?: boolean;
  /** Where progress lines go (stdout in the tool). */
  readonly print: (line: string) => void;
  readonly now?: () => Date;
}

/** Formats the directories; throws StorageError with a one-line message on failure. */
export async function formatStorage(options: FormatOptions): Promise<void> {
  const { config, print } = options;
  if (options.clusterId === '') throw new StorageError('You must specify the cluster id.');
  const checkpoint = bootstrapCheckpoint(options);
  const nodeId = config['node.id'];
  const ensemble = await loadStorageEnsemble(storageDirectories(config));
  // Checked before --ignore-formatted, as Kafka does: a foreign directory is never skipped.
  verifyEnsemble(ensemble, { clusterId: options.clusterId, nodeId });
  const firstFormatted = ensemble.formatted.keys().next();
  if (options.ignoreFormatted !== true && firstFormatted.done !== true) {
    throw new StorageError(`Log directory ${firstFormatted.value} is already formatted. Use ` +
      '--ignore-formatted to ignore this directory and format the others.');
  }
  for (const [dir, reason] of ensemble.failed) {
    print(`I/O error trying to read log directory ${dir} (${reason}). Ignoring...`);
  }
  if (ensemble.empty.length === 0) {
    if (ensemble.formatted.size === 0) {
      throw new StorageError('No available log directories to format.');
    }
    print('All of the log directories are already formatted.');
    return;
  }
  const usedIds = new Set<string>();
  for (const meta of ensemble.formatted.values()) {
    if (meta.directoryId !== undefined) usedIds.add(meta.directoryId);
  }
  const ownVoter = checkpoint.initialVoters?.find((voter) => voter.id === nodeId);
  for (const dir of ensemble.empty) {
    const isMetadataDir = dir === config.metadataLogDir;
    // The metadata dir of an initial voter carries the directory id the voter set names.
    const directoryId = isMetadataDir && ownVoter !== undefined
      ? ownVoter.directoryId
      : freshDirectoryId(usedIds);
    usedIds.add(directoryId);
    const type = directoryType(isMetadataDir, checkpoint.initialVoters, ownVoter);
    print(`Formatting ${type} ${dir} with metadata.version ${checkpoint.metadataVersion}.`);
    const meta = { version: 1, clusterId: options.clusterId, nodeId, directoryId } as const;
    try {
      await mkdir(dir, { recursive: true });
      await writeBootstrapCheckpoint(dir, checkpoint);
      await writeMetaProperties(dir, meta, new Date(checkpoint.formattedAtMs));
    } catch (error) {
      throw new StorageError(`Error while writing meta.properties file ${dir}: ${osReason(error)}`);
    }
  }
}

function bootstrapCheckpoint(options: FormatOptions): BootstrapCheckpoint {
  const metadataVersion = resolveReleaseVersion(options.releaseVersion);
  const initialVoters = resolveInitialVoters(options);
  // kraft.version 1 (KIP-853) when the voter set lives in the log rather than in the config.
  const dynamic = options.config['controller.quorum.voters'].length === 0 &&
    (initialVoters !== null || options.noInitialControllers === true);
  return {
    format: 'raftka-bootstrap',
    version: 1,
    metadataVersion: metadataVersion.name,
    metadataVersionLevel: metadataVersion.featureLevel,
    kraftVersion: dynamic ? 1 : 0,
    initialVoters,
    formattedAtMs: (options.now ?? (() => new Date()))().getTime(),
  };
}

function resolveReleaseVersion(text: string | undefined): MetadataVersion {
  if (text === undefined) return LATEST_METADATA_VERSION;
  const result = parseReleaseVersion(text);
  if (!result.ok) throw new StorageError(result.message);
  return result.version;
}

/** The KIP-853 flags, checked as StorageTool.runFormatCommand checks them. */
function resolveInitialVoters(options: FormatOptions): InitialVoter[] | null {
  const { config } = options;
  let voters: InitialVoter[] | null = null;
  if (options.initialControllers !== undefined) {
    voters = parseInitialControllers(options.initialControllers);
  }
  if (options.standalone === true) voters = standaloneVoters(config);
  const staticVoters = config['controller.quorum.voters'].length > 0;
  if (voters !== null && staticVoters) {
    // The voter set would then come from two places that could disagree.
    throw new StorageError('--standalone and --initial-controllers start a dynamic quorum and ' +
      'cannot be used when controller.quorum.voters is set; use ' +
      'controller.quorum.bootstrap.servers instead.');
  }
  const undecided = voters === null && options.noInitialControllers !== true;
  if (config.isController && !staticVoters && undecided) {
    throw new StorageError('Because controller.quorum.voters is not set on this controller, you ' +
      'must specify one of the following: --standalone, --initial-controllers, or ' +
      '--no-initial-controllers.');
  }
  return voters;
}

/** Formatter.DirectoryType.description */
function directoryType(
  isMetadataDir: boolean,
  initialVoters: readonly InitialVoter[] | null,
  ownVoter: InitialVoter | undefined,
): string {
  if (!isMetadataDir) return 'data directory';
  if (initialVoters === null) return 'metadata directory';
  return ownVoter !== undefined ? 'dynamic metadata voter directory' : 'dynamic metadata directory';
}
