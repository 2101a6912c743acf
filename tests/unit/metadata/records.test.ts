import t from 'tap';
import { Packr } from 'msgpackr';
import { createPrng } from '../../../lib/prng.js';
import {
  ApiKey, decodeRecords, encodeRecords, FRAME_VERSION, RECORD_FIELDS, recordSchemas,
  type MetadataRecord, type RecordType,
} from '../../../metadata/index.js';
import { fastChecks } from '../../../metadata/records/record-fast-checks.js';

const TOPIC_ID = 'kK9oAbOQRXKzV2J1vnW3hA';
const packr = new Packr({ useRecords: false });

/** One record of every type, optional fields both present and absent. */
const SAMPLES: readonly MetadataRecord[] = [
  {
    type: 'RegisterBrokerRecord', brokerId: 1, incarnationId: 'zJ1vnW3hAkK9oAbOQRXKzV',
    brokerEpoch: 42,
    endPoints: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092,
      securityProtocol: 'PLAINTEXT' }],
    rack: 'rack-a', fenced: true, inControlledShutdown: false, logDirs: ['/tmp/kafka-logs'],
  },
  {
    type: 'RegisterBrokerRecord', brokerId: 2, incarnationId: 'zJ1vnW3hAkK9oAbOQRXKzW',
    brokerEpoch: 43, endPoints: [], rack: null, fenced: false, inControlledShutdown: true,
      logDirs: [],
  },
  { type: 'UnregisterBrokerRecord', brokerId: 1, brokerEpoch: 42 },
  { type: 'TopicRecord', name: 'orders', topicId: TOPIC_ID },
  {
    type: 'PartitionRecord', partitionId: 0, topicId: TOPIC_ID, replicas: [1, 2, 3], isr: [1, 2],
    removingReplicas: [], addingReplicas: [3], leader: 1, leaderEpoch: 5, partitionEpoch: 9,
  },
  {
    type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'retention.ms',
    value: '1000',
  },
  { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'retention.ms',
    value: null },
  { type: 'PartitionChangeRecord', partitionId: 3, topicId: TOPIC_ID, leader: -2 },
  {
    type: 'PartitionChangeRecord', partitionId: 3, topicId: TOPIC_ID, leader: -1, isr: [2],
    replicas: [2, 3], removingReplicas: [1], addingReplicas: [],
  },
  { type: 'RemoveTopicRecord', topicId: TOPIC_ID },
  { type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: 21 },
  { type: 'ProducerIdsRecord', brokerId: 1, brokerEpoch: 42, nextProducerId: 5000 },
  {
    type: 'BrokerRegistrationChangeRecord', brokerId: 1, brokerEpoch: 42, fenced: -1,
    inControlledShutdown: 0,
  },
  { type: 'NoOpRecord' },
];

function decodeOk(bytes: Uint8Array): MetadataRecord[] {
  const decoded = decodeRecords(bytes);
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.records;
}

function errorOf(bytes: Uint8Array): string {
  const decoded = decodeRecords(bytes);
  return decoded.ok ? 'decoded' : decoded.error;
}

t.test('every record type survives an encode/decode round trip', async (t) => {
  const covered = new Set(SAMPLES.map((r) => r.type));
  t.same([...covered].sort(), Object.keys(ApiKey).sort(), 'samples cover every apiKey');
  for (const record of SAMPLES) t.same(decodeOk(encodeRecords([record])), [record], record.type);
  t.same(decodeOk(encodeRecords(SAMPLES)), SAMPLES, 'a batch of all of them keeps its order');
});

t.test('a record is framed as [frameVersion 1, Kafka apiKey, version, ...fields in ' +
  'order]', async (t) => {
  const frames = packr.unpack(encodeRecords([SAMPLES[3]!])) as unknown[][];
  t.same(frames, [[1, 2, 0, 'orders', TOPIC_ID]]);
  const change = packr.unpack(encodeRecords([SAMPLES[7]!])) as unknown[][];
  t.same(change, [[1, 5, 0, 3, TOPIC_ID, null, -2, null, null, null]], 'absent fields are nil');
});

t.test('every record schema lists exactly its fields in the wire order', async (t) => {
  for (const type of Object.keys(ApiKey) as RecordType[]) {
    const shape = Object.keys(recordSchemas[type].shape).sort();
    t.same([...RECORD_FIELDS[type]].sort(), shape, type);
  }
});

t.test('the decoder refuses unknown frame versions, apiKeys and record versions', async (t) => {
  const topic = [TOPIC_ID];
  t.equal(errorOf(packr.pack([[0, 2, 0, 'orders', ...topic]])),
    'Could not deserialize metadata record 0: unsupported frame version 0 (this node reads 1)');
  t.equal(errorOf(packr.pack([[2, 2, 0, 'orders', ...topic]])),
    'Could not deserialize metadata record 0: unsupported frame version 2 (this node reads 1)');
  t.equal(errorOf(packr.pack([[FRAME_VERSION, 6, 0]])),
    'Could not deserialize metadata record 0: unknown record apiKey 6');
  t.equal(errorOf(packr.pack([[FRAME_VERSION, 2, 1, 'orders', TOPIC_ID]])),
    'Could not deserialize metadata record 0: unsupported version 1 of TopicRecord (apiKey 2); ' +
    'this node reads versions 0 to 0');
});

t.test('the decoder refuses corrupt bytes and malformed records with a clear error', async (t) => {
  const good = encodeRecords([SAMPLES[4]!]);
  t.match(errorOf(good.subarray(0, good.length - 3)), /malformed msgpack/, 'truncated');
  t.match(errorOf(Uint8Array.from([...good, 0x01])), /malformed msgpack/, 'trailing byte');
  t.match(errorOf(packr.pack({ not: 'a list' })), /not a list of records/);
  t.match(errorOf(packr.pack([[1, 2]])), /record 0: not a record frame/);
  t.match(errorOf(packr.pack([[1, 2, 0, 'orders']])), /TopicRecord v0 has 1 fields, expected 2/);
  t.match(errorOf(packr.pack([[1, 2, 0, 'orders', 'short-id']])),
    /invalid TopicRecord: topicId expected a 22-character Uuid/);
  const negative = [1, 3, 0, -1, TOPIC_ID, [1], [1], [], [], 1, 0, 0];
  t.match(errorOf(packr.pack([negative])), /invalid PartitionRecord: partitionId/);
  const emptyIsr = [1, 3, 0, 0, TOPIC_ID, [1], [], [], [], 1, 0, 0];
  t.match(errorOf(packr.pack([emptyIsr])), /invalid PartitionRecord: isr/);
  t.match(errorOf(packr.pack([[1, 17, 0, 1, 42, 2, 0]])),
    /invalid BrokerRegistrationChangeRecord: fenced/);
  t.match(errorOf(packr.pack([[1, 2, 0, 'a', TOPIC_ID], [1, 99, 0]])),
    /record 1: unknown record apiKey 99/);
});

/** Random changes to a field: wrong types, out of range, wrong lengths. */
function mutate(value: unknown, prng: ReturnType<typeof createPrng>): unknown {
  const options: unknown[] = [
    null, undefined, -3, -1, 0, 2 ** 31, 1.5, 'x', '', 'A'.repeat(22), true, [], [-1], [1, 'a'],
    Number.NaN, Number.MAX_SAFE_INTEGER + 2, { a: 1 },
  ];
  if (Array.isArray(value)) options.push([...value, 7], value.slice(1), new Array(2000).fill(1));
  if (typeof value === 'string') options.push(value + '!', value.slice(1));
  return options[prng.nextInt(0, options.length)];
}

t.test('the hand-written checks never accept what the zod schemas refuse (property)', async (t) => {
  const prng = createPrng(2024);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 20_000; i++) {
    const sample = SAMPLES[prng.nextInt(0, SAMPLES.length)]!;
    const check = fastChecks[sample.type];
    if (check === undefined) continue;
    const { type: _type, ...body } = sample as unknown as Record<string, unknown>;
    const fields = RECORD_FIELDS[sample.type] as readonly string[];
    const field = fields[prng.nextInt(0, fields.length)]!;
    if (prng.chance(0.9)) body[field] = mutate(body[field], prng);
    const zodOk = recordSchemas[sample.type].safeParse(body).success;
    const fastOk = check(body);
    if (fastOk && !zodOk) t.fail(`fast check accepts what zod refuses: ${JSON.stringify(body)}`);
    if (zodOk && !fastOk) t.fail(`fast check refuses a valid record: ${JSON.stringify(body)}`);
    if (fastOk) accepted++;
    else refused++;
  }
  t.ok(accepted > 1000 && refused > 1000, `both outcomes exercised (${accepted}/${refused})`);
});
