/**
 * What one API is on the wire: its key, the versions this build speaks, and the zod schemas of
 * its request and response payloads. Each file under protocol/apis/ defines one (like
 * platformatic/kafka's src/apis/); protocol/registry.ts lists them.
 */
import type { z } from 'zod';
import { assert } from '../lib/assert.js';
import type { ApiKey, ApiKeyName } from './api-keys.js';

export interface ApiDefinition<Name extends ApiKeyName, Request, Response> {
  readonly name: Name;
  readonly key: (typeof ApiKey)[Name];
  /** Oldest and newest version served; a request outside gets UNSUPPORTED_VERSION. */
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly request: z.ZodType<Request>;
  readonly response: z.ZodType<Response>;
}

export function defineApi<Name extends ApiKeyName, Request, Response>(
  definition: ApiDefinition<Name, Request, Response>,
): ApiDefinition<Name, Request, Response> {
  assert(Number.isInteger(definition.minVersion) && definition.minVersion >= 0,
    `${definition.name}: minVersion must be a non-negative integer`);
  assert(definition.maxVersion >= definition.minVersion,
    `${definition.name}: maxVersion must not be below minVersion`);
  return definition;
}
