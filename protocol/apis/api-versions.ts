/**
 * ApiVersions (key 18): which APIs and versions the broker serves. Clients may send it first
 * to learn what they can use; it needs no other request before it (there is no handshake).
 */
import { z } from 'zod';
import { defineApi } from '../api.js';
import { ApiKey } from '../api-keys.js';
import { errorCode, int16, string, throttleTimeMs } from '../primitives.js';

export const apiVersionsRequestSchema = z.object({
  clientSoftwareName: string,
  clientSoftwareVersion: string,
});

export const apiVersionSchema = z.object({
  apiKey: int16,
  minVersion: int16.min(0),
  maxVersion: int16.min(0),
});

export const apiVersionsResponseSchema = z.object({
  errorCode,
  apiKeys: z.array(apiVersionSchema).max(1_024),
  throttleTimeMs,
});

export type ApiVersionsRequest = z.infer<typeof apiVersionsRequestSchema>;
export type ApiVersionsResponse = z.infer<typeof apiVersionsResponseSchema>;
export type ApiVersion = z.infer<typeof apiVersionSchema>;

export const apiVersionsApi = defineApi({
  name: 'ApiVersions',
  key: ApiKey.ApiVersions,
  minVersion: 0,
  maxVersion: 0,
  request: apiVersionsRequestSchema,
  response: apiVersionsResponseSchema,
});
