/**
 * `bootstrap.checkpoint`: the metadata a new cluster starts from, written by
 * `kafka-storage format` into every directory it formats and read by the controller from
 * metadata.log.dir when the metadata log is empty (Kafka's BootstrapDirectory).
 *
 * Kafka stores FeatureLevelRecords in a snapshot file; raftka stores one JSON document:
 *   { "format": "raftka-bootstrap", "version": 1,
 *     "metadataVersion": "3.9-IV0", "metadataVersionLevel": 21,
 *     "kraftVersion": 0 | 1,              // 1 when the quorum is dynamic (KIP-853)
 *     "initialVoters": null | [{ "id", "host", "port", "directoryId" }],
 *     "formattedAtMs": 1732245660000 }
 * `initialVoters` holds the --standalone / --initial-controllers voter set, from which the
 * controller writes its first voters record; null means a static quorum or a node that learns
 * the voters from the leader (--no-initial-controllers). Written atomically.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-file.js';
import { readTextIfExists } from './fs-errors.js';

export const BOOTSTRAP_CHECKPOINT_FILE = 'bootstrap.checkpoint';

const voterSchema = z.object({
  id: z.number().int().min(0),
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  directoryId: z.string().length(22),
});

export const bootstrapCheckpointSchema = z.object({
  format: z.literal('raftka-bootstrap'),
  version: z.literal(1),
  metadataVersion: z.string(),
  metadataVersionLevel: z.number().int().min(1),
  kraftVersion: z.union([z.literal(0), z.literal(1)]),
  initialVoters: z.array(voterSchema).nullable(),
  formattedAtMs: z.number().int(),
});

export type BootstrapCheckpoint = z.infer<typeof bootstrapCheckpointSchema>;
export type InitialVoter = z.infer<typeof voterSchema>;

export async function writeBootstrapCheckpoint(
  dir: string,
  checkpoint: BootstrapCheckpoint,
): Promise<void> {
  const text = `${JSON.stringify(bootstrapCheckpointSchema.parse(checkpoint), null, 2)}\n`;
  await writeFileAtomically(join(dir, BOOTSTRAP_CHECKPOINT_FILE), text);
}

/** Returns undefined when the file is absent; throws on unreadable or invalid content. */
export async function readBootstrapCheckpoint(
  dir: string,
): Promise<BootstrapCheckpoint | undefined> {
  const path = join(dir, BOOTSTRAP_CHECKPOINT_FILE);
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const result = bootstrapCheckpointSchema.safeParse(json);
  if (!result.success) {
    const reason = result.error.issues[0]?.message;
    throw new Error(`${path} is not a valid bootstrap checkpoint: ${reason}`);
  }
  return result.data;
}
