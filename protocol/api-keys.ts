/**
 * API keys: Kafka's numbers, so that a packet capture, a log line or ApiVersions reads the same
 * as in Kafka. Only the admin APIs are served today; the data-plane keys are reserved for the
 * issue that brings Produce, Fetch and ListOffsets (their schemas will join protocol/apis/).
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
