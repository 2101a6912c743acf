/**
 * Text-to-value conversions for server config values, following Kafka's ConfigDef types:
 * values are trimmed first, INT/SHORT/LONG are decimal with an optional sign, BOOLEAN is
 * true/false in any case, and LIST is comma separated with whitespace around commas ignored.
 * Each converter returns the value or an Invalid carrying the reason, which the schema turns
 * into `'<value>' <reason>`.
 */

export class Invalid {
  /** `value` is the offending part when it is not the whole text, e.g. one item of a list. */
  constructor(readonly reason: string, readonly value?: string) {}
}

export type Converted<T> = T | Invalid;

export const INT32_MAX = 2 ** 31 - 1;
export const INT16_MAX = 2 ** 15 - 1;

/**
 * Kafka's Long.MAX_VALUE defaults mean "never". A JS number cannot hold 2^63 - 1 exactly, so
 * longs saturate at the largest exact integer: comparisons and arithmetic stay exact, and a
 * count of messages or milliseconds never reaches it either way.
 */
export const LONG_MAX_SATURATED = Number.MAX_SAFE_INTEGER;

export function parseInteger(text: string, min: number, max: number): Converted<number> {
  if (!/^[+-]?\d+$/.test(text)) return new Invalid('is not an integer');
  const value = Number(text);
  if (value < min) return new Invalid(`must be at least ${min}`);
  if (value > max) return new Invalid(`must be at most ${max}`);
  return value;
}

/** A Java long; values past 2^53 saturate (see LONG_MAX_SATURATED), past 2^63 - 1 are errors. */
export function parseLong(text: string, min: number): Converted<number> {
  if (!/^[+-]?\d+$/.test(text)) return new Invalid('is not an integer');
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) {
    return new Invalid('is out of range for a 64-bit integer');
  }
  if (big < BigInt(min)) return new Invalid(`must be at least ${min}`);
  if (big > BigInt(LONG_MAX_SATURATED)) return LONG_MAX_SATURATED;
  if (big < BigInt(-LONG_MAX_SATURATED)) return -LONG_MAX_SATURATED;
  return Number(big);
}

export function parseBoolean(text: string): Converted<boolean> {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return new Invalid('is not true or false');
}

/** Comma-separated items; empty items are dropped as Kafka's parseCsvList does. */
export function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** Converts every item, or reports the first bad one. */
export function parseList<T>(text: string, item: (text: string) => Converted<T>): Converted<T[]> {
  const out: T[] = [];
  for (const part of splitList(text)) {
    const value = item(part);
    if (value instanceof Invalid) return new Invalid(value.reason, value.value ?? part);
    out.push(value);
  }
  return out;
}

export interface HostPort {
  /** Empty in a listener means every interface. */
  readonly host: string;
  readonly port: number;
}

const HOST = /^[0-9A-Za-z\-%._]*$/;
const IPV6_HOST = /^[0-9A-Fa-f:.%A-Za-z]*$/;

/** `host:port` or `[ipv6]:port`, as Kafka's Utils.getHost/getPort read it. */
export function parseHostPort(text: string, allowEmptyHost: boolean): HostPort | undefined {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return undefined;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (!IPV6_HOST.test(host)) return undefined;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return undefined;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (!HOST.test(host)) return undefined;
  }
  if (host === '' && !allowEmptyHost) return undefined;
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  return { host, port };
}

export function hostPortToString(address: HostPort): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

export interface Voter extends HostPort {
  readonly id: number;
}

export function parseVoter(text: string): Converted<Voter> {
  const at = text.indexOf('@');
  const bad = new Invalid('is not id@host:port');
  if (at < 0 || text.indexOf('@', at + 1) >= 0) return bad;
  const idText = text.slice(0, at);
  if (!/^\d+$/.test(idText) || Number(idText) > INT32_MAX) return bad;
  const address = parseHostPort(text.slice(at + 1), false);
  return address === undefined ? bad : { id: Number(idText), ...address };
}

export function parseBootstrapServer(text: string): Converted<HostPort> {
  return parseHostPort(text, false) ?? new Invalid('is not host:port');
}

export interface Listener extends HostPort {
  /** Upper-cased, as Kafka's ListenerName.normalised does. */
  readonly name: string;
}

export function parseListener(text: string): Converted<Listener> {
  const separator = text.indexOf('://');
  const bad = new Invalid('is not NAME://host:port');
  if (separator <= 0) return bad;
  const name = text.slice(0, separator);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return bad;
  const address = parseHostPort(text.slice(separator + 3), true);
  return address === undefined ? bad : { name: name.toUpperCase(), ...address };
}

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

function isSecurityProtocol(text: string): text is SecurityProtocol {
  return (SECURITY_PROTOCOLS as readonly string[]).includes(text);
}

/** `NAME:PROTOCOL,...` (Kafka's parseCsvMap); listener names are upper-cased. */
export function parseProtocolMap(text: string): Converted<Map<string, SecurityProtocol>> {
  const map = new Map<string, SecurityProtocol>();
  for (const part of splitList(text)) {
    const pieces = part.split(':').map((piece) => piece.trim());
    if (pieces.length !== 2 || pieces[0] === '') return new Invalid('is not NAME:PROTOCOL', part);
    const protocol = pieces[1]!.toUpperCase();
    if (!isSecurityProtocol(protocol)) {
      const known = SECURITY_PROTOCOLS.join(', ');
      return new Invalid(`is not a known security protocol (${known})`, pieces[1]);
    }
    map.set(pieces[0]!.toUpperCase(), protocol);
  }
  return map;
}
