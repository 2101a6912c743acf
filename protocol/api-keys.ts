/**
 * API keys: Kafka's numbers, so that a packet capture, a log line or ApiVersions reads the same
 * as in Kafka. Every key listed here is served (protocol/registry.ts): the data plane (Produce,
 * Fetch, ListOffsets) and the admin APIs. A key Kafka has and raftka lacks is "unknown".
 */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DescribeConfigs: 32,
  CreatePartitions: 37,
  DescribeQuorum: 55,
  DescribeCluster: 60,
} as const;

export type ApiKeyName = keyof typeof ApiKey;
export type ApiKeyNumber = (typeof ApiKey)[ApiKeyName];

const names = new Map<number, ApiKeyName>(
  Object.entries(ApiKey).map(([name, key]) => [key, name as ApiKeyName]),
);

/** The name of a key for messages ('Metadata'), or undefined for a key this list lacks. */
export function apiKeyName(key: number): ApiKeyName | undefined {
  return names.get(key);
}
