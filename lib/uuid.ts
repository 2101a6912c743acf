/**
 * Kafka's Uuid text form: 16 bytes as URL-safe base64 without padding (22 characters).
 * Used for cluster ids, directory ids and topic ids. Kafka never hands out the reserved
 * values (all-zero, and one, the metadata topic's id) nor a string starting with '-',
 * because `-t -abc...` is read as a flag by argument parsers (KAFKA-13708).
 */
import { randomBytes } from 'node:crypto';

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
export const ONE_UUID = 'AAAAAAAAAAAAAAAAAAAAAQ';
export const METADATA_TOPIC_ID = ONE_UUID;

export function uuidToString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Parses the 22-character form; returns undefined when it is not exactly 16 bytes of base64url. */
export function uuidFromString(text: string): Uint8Array | undefined {
  if (text.length !== 22 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length !== 16 || uuidToString(bytes) !== text) return undefined;
  return bytes;
}

/**
 * A random version-4 UUID as Kafka's Uuid.randomUuid makes it. `reservedBelow` widens the
 * reserved set to every value with msb 0 and lsb below it (Kafka's DirectoryId reserves < 100).
 */
export function randomUuid(reservedBelow = 2, source: (n: number) => Uint8Array = randomBytes): string {
  for (;;) {
    const bytes = Uint8Array.from(source(16));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // IETF variant
    const text = uuidToString(bytes);
    if (!text.startsWith('-') && !isReserved(bytes, reservedBelow)) return text;
  }
}

function isReserved(bytes: Uint8Array, reservedBelow: number): boolean {
  for (let i = 0; i < 12; i++) if (bytes[i] !== 0) return false;
  const low = Buffer.from(bytes.buffer, bytes.byteOffset + 12, 4).readUInt32BE(0);
  return low < reservedBelow;
}
