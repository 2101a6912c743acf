/**
 * zod schemas of the record bodies (everything but `type`) and the order their fields take
 * on the wire. Decoding runs them because the log is a trust boundary: a bad disk or a bug in
 * another version could hand us anything. They check shape and ranges only; relations
 * between fields (leader in ISR, ISR within replicas) are invariants the image asserts.
 */
import { z } from 'zod';
import type { MetadataRecord, RecordOf, RecordType } from './record-types.js';

/** Upper bound of a replica list (a partition's replicas, ISR, adding/removing). */
export const MAX_REPLICAS = 1024;
/** Upper bound of the endpoints and log dirs of one broker. */
export const MAX_BROKER_LIST = 256;

const brokerId = z.number().int().min(0).max(2 ** 31 - 1);
const brokerIdOrNone = z.number().int().min(-1).max(2 ** 31 - 1);
const epoch = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const epochOrNone = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);
const partitionId = z.number().int().min(0).max(2 ** 31 - 1);
const uuid = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'expected a 22-character Uuid');
const replicaList = z.array(brokerId).max(MAX_REPLICAS);
const shortString = z.string().max(32767);

const endPoint = z.object({
  name: shortString,
  host: shortString,
  port: z.number().int().min(0).max(65535),
  securityProtocol: shortString,
});

type Body<T extends RecordType> = Omit<RecordOf<T>, 'type'>;

export const recordSchemas = {
  RegisterBrokerRecord: z.object({
    brokerId,
    incarnationId: uuid,
    brokerEpoch: epoch,
    endPoints: z.array(endPoint).max(MAX_BROKER_LIST),
    rack: shortString.nullable(),
    fenced: z.boolean(),
    inControlledShutdown: z.boolean(),
    logDirs: z.array(shortString).max(MAX_BROKER_LIST),
  }),
  UnregisterBrokerRecord: z.object({ brokerId, brokerEpoch: epoch }),
  TopicRecord: z.object({ name: z.string().min(1).max(249), topicId: uuid }),
  PartitionRecord: z.object({
    partitionId,
    topicId: uuid,
    replicas: replicaList.min(1),
    isr: replicaList.min(1),
    removingReplicas: replicaList,
    addingReplicas: replicaList,
    leader: brokerIdOrNone,
    leaderEpoch: epoch,
    partitionEpoch: epoch,
  }),
  ConfigRecord: z.object({
    resourceType: z.number().int().min(0).max(127),
    resourceName: shortString,
    name: shortString.min(1),
    value: shortString.nullable(),
  }),
  PartitionChangeRecord: z.object({
    partitionId,
    topicId: uuid,
    isr: replicaList.min(1).optional(),
    leader: z.number().int().min(-2).max(2 ** 31 - 1),
    replicas: replicaList.min(1).optional(),
    removingReplicas: replicaList.optional(),
    addingReplicas: replicaList.optional(),
  }),
  RemoveTopicRecord: z.object({ topicId: uuid }),
  FeatureLevelRecord: z.object({
    name: shortString.min(1),
    featureLevel: z.number().int().min(0).max(32767),
  }),
  ProducerIdsRecord: z.object({
    brokerId: brokerIdOrNone,
    brokerEpoch: epochOrNone,
    nextProducerId: epoch,
  }),
  BrokerRegistrationChangeRecord: z.object({
    brokerId,
    brokerEpoch: epoch,
    fenced: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
    inControlledShutdown: z.union([z.literal(0), z.literal(1)]),
  }),
  NoOpRecord: z.object({}),
} as const satisfies { [T in RecordType]: z.ZodType<Body<T>> };

/**
 * The order of each record's fields on the wire. Appending a field needs a new record version;
 * reordering or removing one breaks every log written before.
 */
export const RECORD_FIELDS: { readonly [T in RecordType]: readonly (keyof Body<T>)[] } = {
  RegisterBrokerRecord: [
    'brokerId', 'incarnationId', 'brokerEpoch', 'endPoints', 'rack', 'fenced',
    'inControlledShutdown', 'logDirs',
  ],
  UnregisterBrokerRecord: ['brokerId', 'brokerEpoch'],
  TopicRecord: ['name', 'topicId'],
  PartitionRecord: [
    'partitionId', 'topicId', 'replicas', 'isr', 'removingReplicas', 'addingReplicas', 'leader',
    'leaderEpoch', 'partitionEpoch',
  ],
  ConfigRecord: ['resourceType', 'resourceName', 'name', 'value'],
  PartitionChangeRecord: [
    'partitionId', 'topicId', 'isr', 'leader', 'replicas', 'removingReplicas', 'addingReplicas',
  ],
  RemoveTopicRecord: ['topicId'],
  FeatureLevelRecord: ['name', 'featureLevel'],
  ProducerIdsRecord: ['brokerId', 'brokerEpoch', 'nextProducerId'],
  BrokerRegistrationChangeRecord: ['brokerId', 'brokerEpoch', 'fenced', 'inControlledShutdown'],
  NoOpRecord: [],
};

/** Fields that may be absent: written as nil, and nil reads back as absent. */
export const OPTIONAL_FIELDS: { readonly [T in RecordType]?: ReadonlySet<string> } = {
  PartitionChangeRecord: new Set(['isr', 'replicas', 'removingReplicas', 'addingReplicas']),
};

// Type-level check that a parsed body plus its type is a MetadataRecord.
type Parsed<T extends RecordType> = z.infer<(typeof recordSchemas)[T]> & { readonly type: T };
const _parsedIsRecord: { [T in RecordType]: (p: Parsed<T>) => MetadataRecord } = {
  RegisterBrokerRecord: (p) => p, UnregisterBrokerRecord: (p) => p, TopicRecord: (p) => p,
  PartitionRecord: (p) => p, ConfigRecord: (p) => p, PartitionChangeRecord: (p) => p,
  RemoveTopicRecord: (p) => p, FeatureLevelRecord: (p) => p, ProducerIdsRecord: (p) => p,
  BrokerRegistrationChangeRecord: (p) => p, NoOpRecord: (p) => p,
};
void _parsedIsRecord;
