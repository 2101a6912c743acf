/**
 * Frames on the wire: one msgpack value per WebSocket binary message.
 *
 * Encoding uses msgpackr with `useRecords: false`, i.e. plain msgpack maps with string keys.
 * Records (msgpackr's structure ids) would save the repeated keys of log entries (about 25 bytes
 * per entry), but they either need structure state shared between both ends, which a reconnect
 * or a restarted peer silently breaks, or carry the definitions in every frame, which saves
 * little for our small messages. Plain msgpack is stateless per frame and readable by any msgpack
 * tool. Binary fields are msgpack `bin` and decode as Uint8Array views into the received buffer
 * (no `copyBuffers`), so entry data is copied once by the encoder and never by the decoder.
 */
import { Packr, Unpackr } from 'msgpackr';
import { frameSchema, salvageCorrelationId } from './frame-schema.js';
import type { Frame } from './frame-schema.js';

const packr = new Packr({ useRecords: false, int64AsType: 'number' });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/**
 * Encodes a frame. The result is a view into msgpackr's output buffer that later calls never
 * overwrite (msgpackr advances its write position), so it may be queued or sent asynchronously.
 */
export function encodeFrame(frame: Frame): Uint8Array {
  return packr.pack(frame);
}

export type DecodeResult =
  | { readonly ok: true; readonly frame: Frame }
  | {
      readonly ok: false;
      /** Short, for a close reason (at most 123 bytes on the wire) and counters. */
      readonly reason: string;
      /** Present when the broken frame was a request whose correlation id could be read. */
      readonly correlationId?: number;
    };

/** Decodes and validates one inbound frame. Never throws on bad input. */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch {
    // msgpackr throws on truncation, trailing bytes, bad tokens and too-deep nesting alike.
    return { ok: false, reason: 'malformed msgpack' };
  }
  const parsed = frameSchema.safeParse(value);
  if (parsed.success) return { ok: true, frame: parsed.data as Frame };
  const correlationId = salvageCorrelationId(value);
  const reason = describeIssue(parsed.error.issues[0]);
  return correlationId === undefined ? { ok: false, reason } : { ok: false, reason, correlationId };
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (issue === undefined) return 'invalid frame';
  const path = issue.path.map(String).join('.');
  return `invalid frame: ${path} ${issue.message}`.slice(0, 100);
}
