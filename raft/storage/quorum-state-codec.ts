/**
 * The quorum-state file in KRaft's layout (QuorumStateData.json, data_version 1):
 *   {"leaderId":-1,"leaderEpoch":2,"votedId":1,"data_version":1}
 * read into QuorumState {epoch: leaderEpoch, votedId, leaderId}. Fields KRaft adds that raftka
 * does not track (votedDirectoryId; v0's clusterId, appliedOffset, currentVoters) are ignored
 * on read. Also the rules every persisted change must obey, shared by the file store and its twin.
 */
import { assert } from '../../lib/assert.js';
import type { QuorumState } from '../core/types.js';
import { CorruptStorageError } from './errors.js';
import { EPOCH_MAX } from './limits.js';

/** What a node that never wrote the file starts from. */
export const INITIAL_QUORUM_STATE: QuorumState = { epoch: 0, votedId: -1, leaderId: -1 };

const DATA_VERSION = 1;
const READABLE_DATA_VERSIONS: ReadonlySet<unknown> = new Set([0, 1]);

export function encodeQuorumState(state: QuorumState): string {
  const { leaderId, epoch: leaderEpoch, votedId } = state;
  return JSON.stringify({ leaderId, leaderEpoch, votedId, data_version: DATA_VERSION });
}

/** Parses the file text; anything unexpected is a CorruptStorageError naming `path`. */
export function decodeQuorumState(text: string, path: string): QuorumState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorruptStorageError(path, `not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CorruptStorageError(path, 'not a JSON object');
  }
  const fields = json as Record<string, unknown>;
  if (!READABLE_DATA_VERSIONS.has(fields['data_version'])) {
    const version = String(fields['data_version']);
    throw new CorruptStorageError(path, `unsupported data_version ${version}`);
  }
  const epoch = integerField(fields, 'leaderEpoch', 0, EPOCH_MAX, path);
  const votedId = integerField(fields, 'votedId', -1, Number.MAX_SAFE_INTEGER, path);
  const leaderId = integerField(fields, 'leaderId', -1, Number.MAX_SAFE_INTEGER, path);
  return { epoch, votedId, leaderId };
}

function integerField(
  fields: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  path: string,
): number {
  const value = fields[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const detail = `${name} is ${JSON.stringify(value)}, not an integer in [${min}, ${max}]`;
    throw new CorruptStorageError(path, detail);
  }
  return value;
}

/** Asserts that `next` may replace `previous` on disk. */
export function assertQuorumStateChange(previous: QuorumState, next: QuorumState): void {
  assert(
    Number.isInteger(next.epoch) && next.epoch >= 0 && next.epoch <= EPOCH_MAX,
    `bad quorum epoch ${next.epoch}`,
  );
  assert(Number.isInteger(next.votedId) && next.votedId >= -1, `bad votedId ${next.votedId}`);
  assert(Number.isInteger(next.leaderId) && next.leaderId >= -1, `bad leaderId ${next.leaderId}`);
  // Raft §5.1: epochs only grow.
  assert(
    next.epoch >= previous.epoch,
    `quorum epoch goes back from ${previous.epoch} to ${next.epoch}`,
  );
  if (next.epoch !== previous.epoch) return;
  // Raft §5.2: one vote per epoch, and at most one leader per epoch.
  assert(
    previous.votedId === -1 || next.votedId === -1 || next.votedId === previous.votedId,
    `vote changes from ${previous.votedId} to ${next.votedId} within epoch ${next.epoch}`,
  );
  assert(
    previous.leaderId === -1 || next.leaderId === -1 || next.leaderId === previous.leaderId,
    `leader changes from ${previous.leaderId} to ${next.leaderId} within epoch ${next.epoch}`,
  );
}
