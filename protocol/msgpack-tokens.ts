/**
 * The layout of one msgpack token, read from its bytes without decoding it (the msgpack spec's
 * "formats"): what kind it is, how many bytes it spans, how many elements it contains. For the
 * pre-scan (frame-scan.ts), which walks a whole frame this way. The formats whose size the
 * first byte tells (fixint, fixstr, fixmap, fixarray, nil, booleans, numbers, fixext) come
 * from tables, so the common token costs one lookup; the others read their length field.
 */

export const TokenKind = { scalar: 0, array: 1, map: 2, string: 3, extension: 4 } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** One token's layout, filled in place by readToken (one object per scan, not per token). */
export interface Token {
  kind: TokenKind;
  /** Bytes from the token's first byte to its body: type byte, length, extension type. */
  headerBytes: number;
  /** Bytes of the whole token, header and body (the contained elements not included). */
  totalBytes: number;
  /** Elements a container holds: an array's length, twice a map's size (keys and values). */
  children: number;
}

export function emptyToken(): Token {
  return { kind: TokenKind.scalar, headerBytes: 0, totalBytes: 0, children: 0 };
}

const KINDS = new Uint8Array(256);
const HEADER_BYTES = new Uint8Array(256);
/** 0 for the formats with a length field. */
const FIXED_TOTAL_BYTES = new Uint8Array(256);
const FIXED_CHILDREN = new Uint8Array(256);

function define(first: number, last: number, kind: TokenKind, header: number,
  total: (type: number) => number, children: (type: number) => number = () => 0): void {
  for (let type = first; type <= last; type++) {
    KINDS[type] = kind;
    HEADER_BYTES[type] = header;
    FIXED_TOTAL_BYTES[type] = total(type);
    FIXED_CHILDREN[type] = children(type);
  }
}

define(0x00, 0x7f, TokenKind.scalar, 1, () => 1); // positive fixint
define(0x80, 0x8f, TokenKind.map, 1, () => 1, (type) => (type - 0x80) * 2);
define(0x90, 0x9f, TokenKind.array, 1, () => 1, (type) => type - 0x90);
define(0xa0, 0xbf, TokenKind.string, 1, (type) => 1 + type - 0xa0);
define(0xc0, 0xc3, TokenKind.scalar, 1, () => 1); // nil, (never used), false, true
define(0xc4, 0xc6, TokenKind.scalar, 0, () => 0); // bin 8, 16, 32: see SIZED
define(0xc7, 0xc9, TokenKind.extension, 0, () => 0); // ext 8, 16, 32
const NUMBER_BYTES = [5, 9, 2, 3, 5, 9, 2, 3, 5, 9]; // float 32, 64, uint 8..64, int 8..64
define(0xca, 0xd3, TokenKind.scalar, 1, (type) => NUMBER_BYTES[type - 0xca]!);
const FIXEXT_DATA_BYTES = [1, 2, 4, 8, 16]; // after the type byte and the extension type
define(0xd4, 0xd8, TokenKind.extension, 2, (type) => 2 + FIXEXT_DATA_BYTES[type - 0xd4]!);
define(0xd9, 0xdb, TokenKind.string, 0, () => 0); // str 8, 16, 32
define(0xdc, 0xdd, TokenKind.array, 0, () => 0); // array 16, 32
define(0xde, 0xdf, TokenKind.map, 0, () => 0); // map 16, 32
define(0xe0, 0xff, TokenKind.scalar, 1, () => 1); // negative fixint

/** Bytes of the length field of the formats that have one. */
const LENGTH_BYTES = new Map<number, 1 | 2 | 4>([
  [0xc4, 1], [0xc5, 2], [0xc6, 4], [0xc7, 1], [0xc8, 2], [0xc9, 4],
  [0xd9, 1], [0xda, 2], [0xdb, 4], [0xdc, 2], [0xdd, 4], [0xde, 2], [0xdf, 4],
]);

/**
 * Reads the layout of the token at `position` into `token`; false when the frame ends inside
 * it. Lengths are checked against the end, so skipping `totalBytes` never overshoots.
 */
export function readToken(bytes: Uint8Array, position: number, token: Token): boolean {
  const type = bytes[position];
  if (type === undefined) return false;
  const total = FIXED_TOTAL_BYTES[type]!;
  token.kind = KINDS[type] as TokenKind;
  if (total !== 0) {
    token.headerBytes = HEADER_BYTES[type]!;
    token.totalBytes = total;
    token.children = FIXED_CHILDREN[type]!;
    return position + total <= bytes.length;
  }
  const lengthBytes = LENGTH_BYTES.get(type)!;
  const length = lengthAt(bytes, position + 1, lengthBytes);
  if (length < 0) return false;
  const isContainer = token.kind === TokenKind.array || token.kind === TokenKind.map;
  // An extension's header ends with its type byte.
  token.headerBytes = 1 + lengthBytes + (token.kind === TokenKind.extension ? 1 : 0);
  token.totalBytes = token.headerBytes + (isContainer ? 0 : length);
  token.children = !isContainer ? 0 : token.kind === TokenKind.map ? length * 2 : length;
  return position + token.totalBytes <= bytes.length;
}

/** Big-endian unsigned length of `size` bytes at `at`, or -1 past the end. */
function lengthAt(bytes: Uint8Array, at: number, size: 1 | 2 | 4): number {
  if (at + size > bytes.length) return -1;
  if (size === 1) return bytes[at]!;
  if (size === 2) return (bytes[at]! << 8) | bytes[at + 1]!;
  const low = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  return bytes[at]! * 0x100_0000 + low;
}

/** The extension type of an extension token (the last byte of its header). */
export function extensionType(bytes: Uint8Array, position: number, token: Token): number {
  return bytes[position + token.headerBytes - 1]!;
}

/** Whether the string token at `position` holds exactly `expected` (UTF-8 bytes). */
export function stringEquals(bytes: Uint8Array, position: number, token: Token,
  expected: Uint8Array): boolean {
  if (token.kind !== TokenKind.string) return false;
  const start = position + token.headerBytes;
  if (token.totalBytes - token.headerBytes !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/** The integer an int (or integral float) token holds, as msgpackr decodes it, if any. */
export function integerAt(bytes: Uint8Array, position: number, token: Token): number | undefined {
  if (token.kind !== TokenKind.scalar) return undefined;
  const type = bytes[position]!;
  if (type <= 0x7f) return type;
  if (type >= 0xe0) return type - 0x100;
  if (type < 0xca || type > 0xd3) return undefined; // nil, booleans, binary
  const view = new DataView(bytes.buffer, bytes.byteOffset + position + 1, token.totalBytes - 1);
  let value: number;
  switch (type) {
    case 0xca: value = view.getFloat32(0); break;
    case 0xcb: value = view.getFloat64(0); break;
    case 0xcc: value = view.getUint8(0); break;
    case 0xcd: value = view.getUint16(0); break;
    case 0xce: value = view.getUint32(0); break;
    case 0xcf: value = view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4); break;
    case 0xd0: value = view.getInt8(0); break;
    case 0xd1: value = view.getInt16(0); break;
    case 0xd2: value = view.getInt32(0); break;
    default: value = view.getInt32(0) * 0x1_0000_0000 + view.getUint32(4); // 0xd3, int 64
  }
  return Number.isInteger(value) ? value : undefined;
}
