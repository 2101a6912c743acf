/**
 * The APIs this build serves, by name and by key, and the request/response types of each.
 * Adding an API means one file under apis/ and one line in SERVED_APIS.
 */
import { apiVersionsApi } from './apis/api-versions.js';
import type { ApiVersion } from './apis/api-versions.js';
import { createPartitionsApi } from './apis/create-partitions.js';
import { createTopicsApi } from './apis/create-topics.js';
import { deleteTopicsApi } from './apis/delete-topics.js';
import { describeClusterApi } from './apis/describe-cluster.js';
import { describeConfigsApi } from './apis/describe-configs.js';
import { describeQuorumApi } from './apis/describe-quorum.js';
import { fetchApi } from './apis/fetch.js';
import { listOffsetsApi } from './apis/list-offsets.js';
import { metadataApi } from './apis/metadata.js';
import { produceApi } from './apis/produce.js';
import type { ApiDefinition } from './api.js';

export const SERVED_APIS = {
  Produce: produceApi,
  Fetch: fetchApi,
  ListOffsets: listOffsetsApi,
  ApiVersions: apiVersionsApi,
  Metadata: metadataApi,
  CreateTopics: createTopicsApi,
  DeleteTopics: deleteTopicsApi,
  CreatePartitions: createPartitionsApi,
  DescribeCluster: describeClusterApi,
  DescribeQuorum: describeQuorumApi,
  DescribeConfigs: describeConfigsApi,
} as const;

export type ServedApiName = keyof typeof SERVED_APIS;

export type RequestOf<N extends ServedApiName> =
  (typeof SERVED_APIS)[N] extends ApiDefinition<N, infer Request, unknown> ? Request : never;
export type ResponseOf<N extends ServedApiName> =
  (typeof SERVED_APIS)[N] extends ApiDefinition<N, unknown, infer Response> ? Response : never;

export type AnyApiDefinition = (typeof SERVED_APIS)[ServedApiName];

const byKey = new Map<number, AnyApiDefinition>(
  Object.values(SERVED_APIS).map((api) => [api.key, api]),
);

export function servedApiByKey(key: number): AnyApiDefinition | undefined {
  return byKey.get(key);
}

/** The ApiVersions answer of this build, sorted by key. */
export function servedApiVersions(): ApiVersion[] {
  return Object.values(SERVED_APIS)
    .map((api) => ({ apiKey: api.key, minVersion: api.minVersion, maxVersion: api.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey);
}
