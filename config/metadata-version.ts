/**
 * metadata.version: the feature that gates the metadata record formats a cluster may use
 * (KIP-778). raftka names its levels as Kafka's MetadataVersion does, so `--release-version`
 * takes the same strings (`3.9-IV0`, or a release such as `3.7`, meaning its last level).
 * Bootstrapping starts at 3.3-IV0, as in Kafka (MINIMUM_BOOTSTRAP_VERSION).
 */

export interface MetadataVersion {
  /** e.g. `3.9-IV0` */
  readonly name: string;
  /** The feature level stored in the bootstrap metadata. */
  readonly featureLevel: number;
}

/** Kafka's production metadata versions that KRaft accepts, oldest first. */
const METADATA_VERSIONS: readonly MetadataVersion[] = [
  ['3.0-IV1', 1], ['3.1-IV0', 2], ['3.2-IV0', 3],
  ['3.3-IV0', 4], ['3.3-IV1', 5], ['3.3-IV2', 6], ['3.3-IV3', 7],
  ['3.4-IV0', 8],
  ['3.5-IV0', 9], ['3.5-IV1', 10], ['3.5-IV2', 11],
  ['3.6-IV0', 12], ['3.6-IV1', 13], ['3.6-IV2', 14],
  ['3.7-IV0', 15], ['3.7-IV1', 16], ['3.7-IV2', 17], ['3.7-IV3', 18], ['3.7-IV4', 19],
  ['3.8-IV0', 20],
  ['3.9-IV0', 21],
].map(([name, featureLevel]) => ({ name: name as string, featureLevel: featureLevel as number }));

export const LATEST_METADATA_VERSION: MetadataVersion = METADATA_VERSIONS.at(-1)!;
const MINIMUM_BOOTSTRAP_LEVEL = 4; // 3.3-IV0

export type ReleaseVersionResult =
  | { readonly ok: true; readonly version: MetadataVersion }
  | { readonly ok: false; readonly message: string };

/** Resolves a `--release-version` value; a bare release means the last level of that release. */
export function parseReleaseVersion(text: string): ReleaseVersionResult {
  const version = METADATA_VERSIONS.find((v) => v.name === text) ??
    [...METADATA_VERSIONS].reverse().find((v) => v.name.startsWith(`${text}-IV`));
  if (version === undefined) {
    return {
      ok: false,
      message: `Unknown release version '${text}'. Supported metadata.version values are ` +
        `${METADATA_VERSIONS[0]!.name} to ${LATEST_METADATA_VERSION.name}, or a release such ` +
        'as 3.9.',
    };
  }
  if (version.featureLevel < MINIMUM_BOOTSTRAP_LEVEL) {
    return {
      ok: false,
      message: 'Bootstrap metadata.version before 3.3-IV0 are not supported. Can\'t load ' +
        'metadata from format command',
    };
  }
  return { ok: true, version };
}

export function metadataVersionFromLevel(featureLevel: number): MetadataVersion | undefined {
  return METADATA_VERSIONS.find((v) => v.featureLevel === featureLevel);
}
