/**
 * DescribeCluster (key 60): the cluster id, the controller id as brokers report it (see
 * metadata.ts) and the registered brokers, fenced ones flagged (DescribeCluster v2).
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { MAX_BROKERS } from '../limits.js';
import {
  errorCode, errorMessage, int32, nodeId, nullableString, string, throttleTimeMs,
} from '../primitives.js';

export const describeClusterRequestSchema = z.object({});

export const describeClusterBrokerSchema = z.object({
  nodeId: nodeId.min(0),
  host: string,
  port: int32.min(0).max(65_535),
  rack: nullableString,
  isFenced: z.boolean(),
});

export const describeClusterResponseSchema = z.object({
  throttleTimeMs,
  errorCode,
  errorMessage,
  clusterId: string,
  controllerId: nodeId,
  brokers: z.array(describeClusterBrokerSchema).max(MAX_BROKERS),
});

export type DescribeClusterRequest = z.infer<typeof describeClusterRequestSchema>;
export type DescribeClusterResponse = z.infer<typeof describeClusterResponseSchema>;
export type DescribeClusterBroker = z.infer<typeof describeClusterBrokerSchema>;

export const describeClusterApi = defineApi({
  name: 'DescribeCluster',
  key: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 0,
  request: describeClusterRequestSchema,
  response: describeClusterResponseSchema,
});
