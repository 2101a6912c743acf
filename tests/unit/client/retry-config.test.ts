import t from 'tap';
import { DEFAULT_RETRY, parseBrokerAddress, retryDelayMs } from '../../../client/index.js';

t.test('retry delays grow exponentially within the jitter band and the cap', async (t) => {
  const options = { ...DEFAULT_RETRY, initialRetryTime: 100, factor: 0.2, multiplier: 2, maxRetryTime: 1_000 };
  t.equal(retryDelayMs(options, 0, () => 0), 80, 'lower edge: initial * (1 - factor)');
  t.equal(retryDelayMs(options, 0, () => 0.99999), 120, 'upper edge: initial * (1 + factor)');
  t.equal(retryDelayMs(options, 2, () => 0.5), 400, 'initial * multiplier^2');
  t.equal(retryDelayMs(options, 10, () => 1), 1_000, 'capped by maxRetryTime');
  t.strictSame(DEFAULT_RETRY, { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000,
    factor: 0.2, multiplier: 2 }, "KafkaJS's defaults");
});

t.test('broker addresses are host:port, with brackets for IPv6', async (t) => {
  t.same(parseBrokerAddress('localhost:9092'), { host: 'localhost', port: 9092 });
  t.same(parseBrokerAddress(' 10.0.0.1:1 '), { host: '10.0.0.1', port: 1 });
  t.same(parseBrokerAddress('[::1]:9092'), { host: '::1', port: 9092 });
  for (const bad of ['localhost', ':9092', 'host:0', 'host:70000', 'a:b', '::1:9092', 'h:9092/x']) {
    t.equal(parseBrokerAddress(bad), undefined, bad);
  }
});
