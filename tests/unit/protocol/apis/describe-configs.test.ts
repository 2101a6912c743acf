import t from 'tap';
import { ConfigResourceType, ConfigSource } from '../../../../protocol/index.js';
import {
  rejectsPayload, rejectsResponse, requestRoundTrip, responseRoundTrip,
} from '../fixtures/round-trip.js';

t.test('DescribeConfigs request and response survive a round trip', async (t) => {
  requestRoundTrip(t, 'DescribeConfigs', {
    resources: [
      { resourceType: ConfigResourceType.TOPIC, resourceName: 'orders', configurationKeys: null },
      { resourceType: ConfigResourceType.BROKER, resourceName: '1',
        configurationKeys: ['log.retention.hours'] },
    ],
    includeSynonyms: true,
  });
  responseRoundTrip(t, 'DescribeConfigs', {
    throttleTimeMs: 0,
    results: [{
      errorCode: 0, errorMessage: null, resourceType: ConfigResourceType.TOPIC, resourceName: 'orders',
      configs: [
        { name: 'cleanup.policy', value: 'compact', readOnly: false,
          configSource: ConfigSource.DYNAMIC_TOPIC_CONFIG, isSensitive: false,
          synonyms: [{ name: 'log.cleanup.policy', value: 'delete', source: ConfigSource.DEFAULT_CONFIG }] },
        { name: 'sasl.jaas.config', value: null, readOnly: true,
          configSource: ConfigSource.STATIC_BROKER_CONFIG, isSensitive: true, synonyms: [] },
      ],
    }],
  });
});

t.test('a malformed DescribeConfigs payload names the field', async (t) => {
  rejectsPayload(t, 'DescribeConfigs', { resources: [{ resourceType: 300, resourceName: 'a',
    configurationKeys: null }], includeSynonyms: false }, 'payload.resources[0].resourceType');
  rejectsResponse(t, 'DescribeConfigs', { throttleTimeMs: 0, results: [{ errorCode: 0,
    errorMessage: null, resourceType: 2, resourceName: 'a', configs: [{ name: 'x', value: 'y',
      readOnly: 'no', configSource: 5, isSensitive: false, synonyms: [] }] }] },
  'payload.results[0].configs[0].readOnly');
});
