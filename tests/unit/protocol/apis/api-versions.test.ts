import t from 'tap';
import { servedApiVersions } from '../../../../protocol/index.js';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('ApiVersions request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'ApiVersions', { clientSoftwareName: 'raftka', clientSoftwareVersion: '0.1.0' });
  responseRoundTrip(t, 'ApiVersions', {
    errorCode: 0, apiKeys: servedApiVersions(), throttleTimeMs: 0,
  });
});

t.test('ApiVersions lists every served api once, sorted by key', async (t) => {
  const keys = servedApiVersions().map((v) => v.apiKey);
  t.strictSame(keys, [0, 1, 2, 3, 18, 19, 20, 32, 37, 55, 60]);
});

t.test('a malformed ApiVersions payload names the field', async (t) => {
  rejectsPayload(t, 'ApiVersions', { clientSoftwareName: 7, clientSoftwareVersion: '1' },
    'payload.clientSoftwareName');
  rejectsResponse(t, 'ApiVersions', { errorCode: 0, throttleTimeMs: 0,
    apiKeys: [{ apiKey: 3, minVersion: -1, maxVersion: 0 }] }, 'payload.apiKeys[0].minVersion');
});
