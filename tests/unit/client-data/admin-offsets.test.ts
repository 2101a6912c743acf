/**
 * admin.fetchTopicOffsets (KafkaJS): the high watermark and log start of every partition, asked
 * of each partition's leader, on a fake two-broker cluster.
 */
import t from 'tap';
import { Kafka } from '../../../client/index.js';
import { startDataCluster } from './fixtures/data-broker.js';

t.test('fetchTopicOffsets gives each partition\'s high watermark and start', async (t) => {
  const cluster = await startDataCluster(2);
  const kafka = new Kafka({ clientId: 'offsets-test', brokers: cluster.addresses });
  const admin = kafka.admin();
  t.teardown(async () => {
    await admin.disconnect();
    await cluster.stop();
  });
  cluster.state.createTopic('events', 3);
  cluster.state.seed('events', 0, ['a', 'b', 'c']);
  cluster.state.seed('events', 2, ['d']);
  const offsets = await admin.fetchTopicOffsets('events');
  t.same(offsets, [
    { partition: 0, offset: '3', high: '3', low: '0' },
    { partition: 1, offset: '0', high: '0', low: '0' },
    { partition: 2, offset: '1', high: '1', low: '0' },
  ]);
  const error = await admin.fetchTopicOffsets('missing').catch((e: unknown) => e);
  t.match(error, { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
});
