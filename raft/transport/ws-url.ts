/** The ws:// URL of a listening transport (IPv6 literals need brackets). */
import type { PeerAddress } from './types.js';

export function wsUrl(address: PeerAddress): string {
  const host = address.host.includes(':') && !address.host.startsWith('[')
    ? `[${address.host}]`
    : address.host;
  return `ws://${host}:${address.port}/`;
}
