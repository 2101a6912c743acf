/**
 * DescribeConfigs (key 32): the configuration of topics and brokers, each entry with its source
 * so that tools can tell overrides from defaults (`kafka-topics --describe` prints the entries
 * whose source is not DEFAULT_CONFIG). Resource types and sources carry Kafka's numbers.
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_CONFIG_ENTRIES, MAX_TOPICS } from '../limits.js';
import {
  errorCode, errorMessage, int8, nullableString, string, throttleTimeMs,
} from '../primitives.js';

/** Kafka's ConfigResource.Type ids. */
export const ConfigResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
} as const;

/** Kafka's DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

export const describeConfigsResourceSchema = z.object({
  resourceType: int8,
  resourceName: string,
  /** null for every key. */
  configurationKeys: z.array(string).max(MAX_CONFIG_ENTRIES).nullable(),
});

export const describeConfigsRequestSchema = z.object({
  resources: z.array(describeConfigsResourceSchema).max(MAX_TOPICS),
  includeSynonyms: z.boolean(),
});

export const configSynonymSchema = z.object({
  name: string,
  value: nullableString,
  source: int8,
});

export const describeConfigsEntrySchema = z.object({
  name: string,
  /** null for a sensitive value. */
  value: nullableString,
  readOnly: z.boolean(),
  configSource: int8,
  isSensitive: z.boolean(),
  synonyms: z.array(configSynonymSchema).max(16),
});

export const describeConfigsResultSchema = z.object({
  errorCode,
  errorMessage,
  resourceType: int8,
  resourceName: string,
  configs: z.array(describeConfigsEntrySchema).max(MAX_CONFIG_ENTRIES),
});

export const describeConfigsResponseSchema = z.object({
  throttleTimeMs,
  results: z.array(describeConfigsResultSchema).max(MAX_TOPICS),
});

export type DescribeConfigsRequest = z.infer<typeof describeConfigsRequestSchema>;
export type DescribeConfigsResponse = z.infer<typeof describeConfigsResponseSchema>;
export type DescribeConfigsResult = z.infer<typeof describeConfigsResultSchema>;
export type DescribeConfigsEntry = z.infer<typeof describeConfigsEntrySchema>;

export const describeConfigsApi = defineApi({
  name: 'DescribeConfigs',
  key: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 0,
  request: describeConfigsRequestSchema,
  response: describeConfigsResponseSchema,
});
