/**
 * The voter set a dynamic quorum starts with (KIP-853): `--initial-controllers
 * id@host:port:directory-id,...`, or `--standalone`, which makes this node the only voter.
 * Mirrors Kafka's DynamicVoters.parse and StorageTool.createStandaloneDynamicVoters.
 */
import type { InitialVoter } from '../../config/bootstrap-checkpoint.js';
import { StorageError } from '../../config/errors.js';
import type { ServerConfig } from '../../config/server-config.js';
import { freshDirectoryId } from '../../config/storage-check.js';
import { parseHostPort } from '../../config/values.js';
import { uuidFromString } from '../../lib/uuid.js';

export function parseInitialControllers(text: string): InitialVoter[] {
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new StorageError('--initial-controllers: No voters given.');
  const voters: InitialVoter[] = [];
  for (const entry of entries) {
    const voter = parseVoterEntry(entry);
    if (voters.some((other) => other.id === voter.id)) {
      throw new StorageError(`--initial-controllers: Node id ${voter.id} was specified more than ` +
        'once.');
    }
    if (voters.some((other) => other.directoryId === voter.directoryId)) {
      throw new StorageError(`--initial-controllers: directory id ${voter.directoryId} was ` +
        'specified more than once.');
    }
    voters.push(voter);
  }
  return voters;
}

function parseVoterEntry(entry: string): InitialVoter {
  const bad = (): StorageError =>
    new StorageError(`--initial-controllers: '${entry}' is not id@host:port:directory-id`);
  const at = entry.indexOf('@');
  const lastColon = entry.lastIndexOf(':');
  if (at <= 0 || lastColon < at) throw bad();
  const idText = entry.slice(0, at);
  if (!/^\d+$/.test(idText) || Number(idText) > 2 ** 31 - 1) throw bad();
  const address = parseHostPort(entry.slice(at + 1, lastColon), false);
  if (address === undefined) throw bad();
  const directoryId = entry.slice(lastColon + 1);
  if (uuidFromString(directoryId) === undefined) {
    throw new StorageError(`--initial-controllers: '${directoryId}' in '${entry}' is not a ` +
      'directory id (a 22-character Kafka Uuid)');
  }
  return { id: Number(idText), host: address.host, port: address.port, directoryId };
}

/** `--standalone`: this controller alone, at its first controller listener. */
export function standaloneVoters(config: ServerConfig): InitialVoter[] {
  if (!config.isController) {
    throw new StorageError('You can only use --standalone on a controller.');
  }
  const listener = config.controllerListeners[0];
  if (listener === undefined) throw new StorageError('No controller listeners found.');
  return [{
    id: config['node.id'],
    host: listener.host === '' ? 'localhost' : listener.host,
    port: listener.port,
    directoryId: freshDirectoryId(new Set()),
  }];
}
