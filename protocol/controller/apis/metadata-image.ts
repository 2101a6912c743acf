/**
 * metadataImage: any controller's committed metadata image as a plain summary, for tests and
 * tools: topics with their partitions, brokers with their state, the features, where the
 * image stands in the log, and its hash (equal hashes = equal images).
 */
import { z } from 'zod';
import { MAX_BROKERS, MAX_PARTITIONS_PER_TOPIC, MAX_TOPICS } from '../../limits.js';
import { epoch, replicaList } from '../../primitives.js';
import { defineControllerApi, ControllerApi } from '../controller-apis.js';
import { brokerId, int32, listOf, nodeId, offset, text } from '../fields.js';

/** The request carries nothing; any map is accepted, as before fields existed. */
export const metadataImageRequestSchema = z.object({}).passthrough();

const partitionSummarySchema = z.object({
  partitionId: int32.min(0),
  replicas: replicaList.readonly(),
  isr: replicaList.readonly(),
  leader: nodeId,
  leaderEpoch: epoch,
  partitionEpoch: epoch,
});

const topicSummarySchema = z.object({
  name: text,
  topicId: text,
  partitions: listOf(partitionSummarySchema, MAX_PARTITIONS_PER_TOPIC),
});

const brokerSummarySchema = z.object({
  brokerId,
  brokerEpoch: offset,
  fenced: z.boolean(),
  inControlledShutdown: z.boolean(),
});

export const imageSummarySchema = z.object({
  topics: listOf(topicSummarySchema, MAX_TOPICS),
  brokers: listOf(brokerSummarySchema, MAX_BROKERS),
  features: z.record(text, int32),
  /** The offset and epoch of the last metadata entry in the image (-1: none). */
  offset,
  epoch,
  /** One past the last committed entry (any kind) this controller applied. */
  appliedEndOffset: offset,
  /** CRC-32C of the encoded image. */
  imageHash: z.number().int().min(0).max(0xffff_ffff),
});

export type PartitionSummary = z.infer<typeof partitionSummarySchema>;
export type TopicSummary = z.infer<typeof topicSummarySchema>;
export type BrokerSummary = z.infer<typeof brokerSummarySchema>;
export type ImageSummary = z.infer<typeof imageSummarySchema>;

export const metadataImageControllerApi = defineControllerApi({
  name: ControllerApi.metadataImage,
  request: metadataImageRequestSchema,
  reply: imageSummarySchema,
});
