/**
 * The client's configuration: KafkaJS's names and defaults (docs/Configuration.md), checked
 * once when `new Kafka()` runs. A bad value is the caller's mistake and throws a RaftkaError
 * naming the field; nothing later re-checks it.
 */
import { z } from 'zod';
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/limits.js';
import { RaftkaError } from './errors.js';
import { DEFAULT_RETRY } from './retry.js';
import type { RetryOptions } from './retry.js';

export interface KafkaConfig {
  /** Sent in every request header; defaults to 'raftka'. */
  readonly clientId?: string;
  /** Bootstrap brokers as 'host:port' ('[::1]:9092' for IPv6); any one of them will do. */
  readonly brokers: readonly string[];
  /** Time to open a connection (TCP + WebSocket handshake), ms. KafkaJS default 1000. */
  readonly connectionTimeout?: number;
  /** Time to wait for a response, ms. KafkaJS default 30000. */
  readonly requestTimeout?: number;
  readonly retry?: Partial<RetryOptions>;
  /** Requests in flight per connection; more wait in a queue. Default 1024. */
  readonly maxInFlightRequests?: number;
  /** Requests waiting per connection beyond the in-flight ones; more are refused. */
  readonly maxQueuedRequests?: number;
  /** Largest frame sent or accepted; default 100 MiB (socket.request.max.bytes). */
  readonly maxFrameBytes?: number;
}

export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

export interface ResolvedConfig {
  readonly clientId: string;
  readonly brokers: readonly BrokerAddress[];
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly retry: RetryOptions;
  readonly maxInFlightRequests: number;
  readonly maxQueuedRequests: number;
  readonly maxFrameBytes: number;
}

const positiveMs = z.number().int().positive().max(2_147_483_647);

const retrySchema = z.object({
  retries: z.number().int().min(0).max(1_000),
  initialRetryTime: z.number().int().min(0).max(2_147_483_647),
  maxRetryTime: z.number().int().min(0).max(2_147_483_647),
  factor: z.number().min(0).max(1),
  multiplier: z.number().min(1).max(100),
}).partial();

const configSchema = z.object({
  clientId: z.string().max(1_024).optional(),
  brokers: z.array(z.string()).min(1),
  connectionTimeout: positiveMs.optional(),
  requestTimeout: positiveMs.optional(),
  retry: retrySchema.optional(),
  maxInFlightRequests: z.number().int().min(1).max(1_000_000).optional(),
  maxQueuedRequests: z.number().int().min(0).max(1_000_000).optional(),
  maxFrameBytes: z.number().int().min(1_024).max(2 ** 31 - 1).optional(),
});

/** Parses 'host:port' or '[v6]:port'; undefined when it is neither. */
export function parseBrokerAddress(text: string): BrokerAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

export function formatBrokerAddress(address: BrokerAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

export function resolveConfig(config: KafkaConfig): ResolvedConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new RaftkaError(`Invalid client configuration: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  const value = parsed.data;
  const brokers = value.brokers.map((text) => {
    const address = parseBrokerAddress(text);
    if (address === undefined) {
      throw new RaftkaError(`Invalid client configuration: brokers: '${text}' is not host:port`);
    }
    return address;
  });
  const retry = { ...DEFAULT_RETRY, ...value.retry };
  if (retry.initialRetryTime > retry.maxRetryTime) {
    throw new RaftkaError(
      'Invalid client configuration: retry.initialRetryTime must not exceed retry.maxRetryTime');
  }
  return {
    clientId: value.clientId ?? 'raftka',
    brokers,
    connectionTimeoutMs: value.connectionTimeout ?? 1_000,
    requestTimeoutMs: value.requestTimeout ?? 30_000,
    retry,
    maxInFlightRequests: value.maxInFlightRequests ?? 1_024,
    maxQueuedRequests: value.maxQueuedRequests ?? 10_000,
    maxFrameBytes: value.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
  };
}
