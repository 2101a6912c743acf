/**
 * The output of `kafka-metadata-quorum describe`, as Kafka 3.9's MetadataQuorumCommand prints
 * it: --status as labels padded to 24 columns (handleDescribeStatus), --replication as a table
 * whose cells are padded to the column width and each followed by a tab
 * (ToolsUtils.prettyPrintTable).
 */
import type { QuorumInfo, QuorumReplicaState } from '../../client/index.js';
import { ZERO_UUID } from '../../lib/uuid.js';
import { CommandError } from '../common/tool-errors.js';

function leaderOf(quorum: QuorumInfo): QuorumReplicaState {
  const leader = quorum.voters.find((voter) => voter.replicaId === quorum.leaderId);
  if (leader === undefined) {
    throw new CommandError(`The metadata quorum has no leader (LeaderId: ${quorum.leaderId}).`);
  }
  return leader;
}

export function statusLines(clusterId: string, quorum: QuorumInfo): string[] {
  const leader = leaderOf(quorum);
  // Java's Stream.min keeps the first of equal elements; so does this strict comparison.
  let laggiest = quorum.voters[0]!;
  for (const voter of quorum.voters) {
    if (voter.logEndOffset < laggiest.logEndOffset) laggiest = voter;
  }
  const maxFollowerLagTimeMs = laggiest === leader ? 0
    : leader.lastCaughtUpTimestamp !== undefined && laggiest.lastCaughtUpTimestamp !== undefined
      ? leader.lastCaughtUpTimestamp - laggiest.lastCaughtUpTimestamp : -1;
  const label = (name: string) => `${name}:`.padEnd(24);
  return [
    `${label('ClusterId')}${clusterId}`,
    `${label('LeaderId')}${quorum.leaderId}`,
    `${label('LeaderEpoch')}${quorum.leaderEpoch}`,
    `${label('HighWatermark')}${quorum.highWatermark}`,
    `${label('MaxFollowerLag')}${leader.logEndOffset - laggiest.logEndOffset}`,
    `${label('MaxFollowerLagTimeMs')}${maxFollowerLagTimeMs}`,
    `${label('CurrentVoters')}${replicaList(quorum, quorum.voters)}`,
    `${label('CurrentObservers')}${replicaList(quorum, quorum.observers)}`,
  ];
}

/** `[{"id": 1, "directoryId": "...", "endpoints": ["CONTROLLER://localhost:9093"]}, ...]` */
function replicaList(quorum: QuorumInfo, replicas: readonly QuorumReplicaState[]): string {
  const entries = replicas.map((replica) => {
    const directory = replica.replicaDirectoryId === ZERO_UUID ? 'null'
      : `"${replica.replicaDirectoryId}"`;
    const endpoints = quorum.nodes.find((n) => n.nodeId === replica.replicaId)?.endpoints ?? [];
    const listed = endpoints.map((e) =>
      `"${e.name}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}"`);
    return `{"id": ${replica.replicaId}, "directoryId": ${directory}` +
      (listed.length > 0 ? `, "endpoints": [${listed.join(', ')}]` : '') + '}';
  });
  return `[${entries.join(', ')}]`;
}

export const REPLICATION_HEADERS = [
  'NodeId', 'DirectoryId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp',
  'Status',
] as const;

export function replicationLines(
  quorum: QuorumInfo,
  humanReadable: boolean,
  nowMs: number,
): string[] {
  const leader = leaderOf(quorum);
  const rows = [
    ...[leader].map((r) => row(leader, r, 'Leader')),
    ...quorum.voters.filter((v) => v.replicaId !== leader.replicaId)
      .map((r) => row(leader, r, 'Follower')),
    ...quorum.observers.map((r) => row(leader, r, 'Observer')),
  ];
  function row(lead: QuorumReplicaState, replica: QuorumReplicaState, status: string): string[] {
    const time = (timestamp: number | undefined, what: string) => (timestamp === undefined ? '-1'
      : humanReadable ? `${relativeTimeMs(timestamp, what, nowMs)} ms ago` : String(timestamp));
    return [
      String(replica.replicaId), replica.replicaDirectoryId, String(replica.logEndOffset),
      String(lead.logEndOffset - replica.logEndOffset),
      time(replica.lastFetchTimestamp, 'last fetch'),
      time(replica.lastCaughtUpTimestamp, 'last caught up'), status,
    ];
  }
  return prettyPrintTable(REPLICATION_HEADERS, rows);
}

function relativeTimeMs(timestampMs: number, what: string, nowMs: number): number {
  if (!(timestampMs > 0 && timestampMs <= nowMs)) {
    throw new CommandError('Error while computing relative time, possible drift in system clock. ' +
      `Current timestamp is ${nowMs}, ${what} timestamp is ${timestampMs}`);
  }
  return nowMs - timestampMs;
}

/** ToolsUtils.prettyPrintTable: every cell padded to its column's width, then a tab. */
export function prettyPrintTable(headers: readonly string[], rows: readonly string[][]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => `${cell.padEnd(widths[i]!)}\t`).join('');
  return [line(headers), ...rows.map(line)];
}
