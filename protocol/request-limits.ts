/**
 * What a request frame of each API may cost the broker: its bytes and its msgpack elements
 * (limits.ts gives the reasons). Only Produce may use the whole frame limit
 * (socket.request.max.bytes): its record batches are single binary elements. frame-scan.ts
 * applies these before msgpack decodes anything.
 */
import { assert } from '../lib/assert.js';
import { ApiKey } from './api-keys.js';
import {
  MAX_ADMIN_REQUEST_BYTES, MAX_ADMIN_REQUEST_ELEMENTS, MAX_PARTITION_LIST_REQUEST_BYTES,
  MAX_PARTITION_LIST_REQUEST_ELEMENTS, MAX_PRODUCE_PARTITIONS_PER_REQUEST,
  MAX_PRODUCE_REQUEST_ELEMENTS,
} from './limits.js';

export interface RequestLimits {
  /** Infinity: only the frame limit (socket.request.max.bytes) applies. */
  readonly maxBytes: number;
  readonly maxElements: number;
  /** For messages: the API and the named limit, e.g. `Metadata (MAX_ADMIN_REQUEST_BYTES)`. */
  readonly bytesLimitName: string;
  readonly elementsLimitName: string;
}

/** Elements of a Produce request besides its partitions: envelope, payload, keys. */
const PRODUCE_FIXED_ELEMENTS = 64;
/** A partition alone in its topic: its map, 2 keys, 2 values, and the same for its topic. */
const PRODUCE_ELEMENTS_PER_PARTITION_MAX = 10;
// The producer's cap on partitions per request must keep its frames under the element bound.
assert(MAX_PRODUCE_PARTITIONS_PER_REQUEST * PRODUCE_ELEMENTS_PER_PARTITION_MAX +
  PRODUCE_FIXED_ELEMENTS <= MAX_PRODUCE_REQUEST_ELEMENTS,
'MAX_PRODUCE_PARTITIONS_PER_REQUEST must fit under MAX_PRODUCE_REQUEST_ELEMENTS');

function limitsOf(name: string, apiKey: number): RequestLimits {
  if (apiKey === ApiKey.Produce) {
    return {
      maxBytes: Infinity, maxElements: MAX_PRODUCE_REQUEST_ELEMENTS,
      bytesLimitName: 'socket.request.max.bytes',
      elementsLimitName: `${name} (MAX_PRODUCE_REQUEST_ELEMENTS)`,
    };
  }
  if (apiKey === ApiKey.Fetch || apiKey === ApiKey.ListOffsets) {
    return {
      maxBytes: MAX_PARTITION_LIST_REQUEST_BYTES, maxElements: MAX_PARTITION_LIST_REQUEST_ELEMENTS,
      bytesLimitName: `${name} (MAX_PARTITION_LIST_REQUEST_BYTES)`,
      elementsLimitName: `${name} (MAX_PARTITION_LIST_REQUEST_ELEMENTS)`,
    };
  }
  return {
    maxBytes: MAX_ADMIN_REQUEST_BYTES, maxElements: MAX_ADMIN_REQUEST_ELEMENTS,
    bytesLimitName: `${name} (MAX_ADMIN_REQUEST_BYTES)`,
    elementsLimitName: `${name} (MAX_ADMIN_REQUEST_ELEMENTS)`,
  };
}

const byKey = new Map<number, RequestLimits>(
  Object.entries(ApiKey).map(([name, key]) => [key, limitsOf(name, key)]),
);

/** Before the scan has read the api key, the loosest limits of all apply. */
export const UNKNOWN_API_LIMITS: RequestLimits = {
  maxBytes: Infinity,
  maxElements: Math.max(...[...byKey.values()].map((limits) => limits.maxElements)),
  bytesLimitName: 'socket.request.max.bytes',
  elementsLimitName: 'any request',
};

/** The limits of `apiKey`'s requests; a key this build does not know gets the admin ones. */
export function requestLimits(apiKey: number): RequestLimits {
  return byKey.get(apiKey) ?? limitsOf(`api key ${apiKey}`, apiKey);
}
