/**
 * The bytes of a metadata log entry: one msgpack array holding the entry's records, each an
 * array `[frameVersion, apiKey, version, ...fields]`.
 *
 * The header mirrors Kafka's AbstractApiMessageSerde (uvarint frame version 1, apiKey,
 * version, body), so a reader learns what a record is before it reads the body and can
 * refuse what it does not know. Fields are positional (record-schemas.ts fixes the order)
 * rather than a map: no repeated keys, so a PartitionRecord costs about 45 bytes. Optional
 * fields are written as nil. msgpack is self-delimiting, so a torn or trailing byte is
 * caught by the decoder; the Raft log's CRC-32C catches flipped bits before we get here.
 *
 * Decoding validates every record (the log is a trust boundary): with the zod schema, or first
 * with a hand-written check for the frequent records that must agree with it
 * (record-fast-checks.ts). A problem comes back as a value; the state machine asserts on it.
 */
import { Packr, Unpackr } from 'msgpackr';
import { check } from '../../lib/check.js';
import { fastChecks } from './record-fast-checks.js';
import { OPTIONAL_FIELDS, RECORD_FIELDS, recordSchemas } from './record-schemas.js';
import { ApiKey, type MetadataRecord, type RecordType } from './record-types.js';

/** Kafka's current frame version; frame 0 (the 2.8 preview) is refused as Kafka does. */
export const FRAME_VERSION = 1;

/** The newest version of each record this code writes and reads. */
export const RECORD_VERSIONS: { readonly [T in RecordType]: number } = {
  RegisterBrokerRecord: 0,
  UnregisterBrokerRecord: 0,
  TopicRecord: 0,
  PartitionRecord: 0,
  ConfigRecord: 0,
  PartitionChangeRecord: 0,
  RemoveTopicRecord: 0,
  FeatureLevelRecord: 0,
  ProducerIdsRecord: 0,
  BrokerRegistrationChangeRecord: 0,
  NoOpRecord: 0,
};

const TYPE_BY_API_KEY: ReadonlyMap<number, RecordType> = new Map(
  (Object.entries(ApiKey) as [RecordType, number][]).map(([type, key]) => [key, type]),
);

const packr = new Packr({ useRecords: false, int64AsType: 'number' });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/** The frame of one record: header then fields in wire order. */
export function recordFrame(record: MetadataRecord): unknown[] {
  const fields = RECORD_FIELDS[record.type] as readonly string[];
  const optional = OPTIONAL_FIELDS[record.type];
  const frame: unknown[] = [FRAME_VERSION, ApiKey[record.type], RECORD_VERSIONS[record.type]];
  const values = record as unknown as Record<string, unknown>;
  for (const field of fields) {
    const value = values[field];
    if (value === undefined) {
      check(optional?.has(field) === true, () => `${record.type}.${field} is missing`);
      frame.push(null);
    } else {
      frame.push(value);
    }
  }
  return frame;
}

/** Encodes the records of one entry (they commit together). */
export function encodeRecords(records: readonly MetadataRecord[]): Uint8Array {
  const frames = new Array<unknown[]>(records.length);
  for (let i = 0; i < records.length; i++) frames[i] = recordFrame(records[i]!);
  return packr.pack(frames);
}

export type DecodeRecordsResult =
  | { readonly ok: true; readonly records: MetadataRecord[] }
  | { readonly ok: false; readonly error: string };

/** Decodes and validates the records of one entry. Never throws on bad input. */
export function decodeRecords(bytes: Uint8Array): DecodeRecordsResult {
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch {
    // msgpackr throws on truncation, trailing bytes and bad tokens alike.
    return { ok: false, error: 'Could not deserialize metadata records: malformed msgpack' };
  }
  if (!Array.isArray(value)) {
    return { ok: false, error: 'Could not deserialize metadata records: not a list of records' };
  }
  const records: MetadataRecord[] = new Array<MetadataRecord>(value.length);
  for (let i = 0; i < value.length; i++) {
    const one = decodeRecord(value[i]);
    if (typeof one === 'string') {
      return { ok: false, error: `Could not deserialize metadata record ${i}: ${one}` };
    }
    records[i] = one;
  }
  return { ok: true, records };
}

/** The record, or what is wrong with it. */
function decodeRecord(frame: unknown): MetadataRecord | string {
  if (!Array.isArray(frame) || frame.length < 3) return 'not a record frame';
  const [frameVersion, apiKey, version] = frame as unknown[];
  if (frameVersion !== FRAME_VERSION) {
    return `unsupported frame version ${String(frameVersion)} (this node reads ${FRAME_VERSION})`;
  }
  const type = typeof apiKey === 'number' ? TYPE_BY_API_KEY.get(apiKey) : undefined;
  if (type === undefined) return `unknown record apiKey ${String(apiKey)}`;
  const newest = RECORD_VERSIONS[type];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 ||
    version > newest) {
    return `unsupported version ${String(version)} of ${type} (apiKey ${apiKey}); ` +
      `this node reads versions 0 to ${newest}`;
  }
  return decodeBody(type, version, frame as unknown[]);
}

function decodeBody(
  type: RecordType, version: number, frame: readonly unknown[],
): MetadataRecord | string {
  const fields = RECORD_FIELDS[type] as readonly string[];
  if (frame.length !== 3 + fields.length) {
    return `${type} v${version} has ${frame.length - 3} fields, expected ${fields.length}`;
  }
  const optional = OPTIONAL_FIELDS[type];
  // Built with `type` first so the accepted object is the record itself (no second copy);
  // zod strips `type` as an unknown key when it has to judge.
  const record: Record<string, unknown> = { type };
  for (let i = 0; i < fields.length; i++) {
    const value = frame[3 + i];
    const field = fields[i]!;
    if (value === null && optional?.has(field) === true) continue;
    record[field] = value;
  }
  if (fastChecks[type]?.(record) === true) return record as unknown as MetadataRecord;
  const parsed = recordSchemas[type].safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? '' : issue.path.map(String).join('.');
    return `invalid ${type}: ${path} ${issue?.message ?? ''}`.trimEnd();
  }
  return { type, ...parsed.data } as MetadataRecord;
}
