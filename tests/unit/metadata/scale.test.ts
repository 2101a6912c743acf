/**
 * Measures (prints, does not assert) the pure metadata path at scale: 10,000 topics of 10
 * partitions with RF 3 on 3 brokers, each topic one CreateTopics request, through the
 * controller (validation, placement, pending view), the record encoding, and the state
 * machine (decode, delta, new image, controller catch-up); then the snapshot of that image.
 */
import { loadavg } from 'node:os';
import t from 'tap';
import { EntryKind, type LogEntry } from '../../../raft/core/types.js';
import {
  encodeImage, encodeRecords, imageHash, MetadataStateMachine,
} from '../../../metadata/index.js';
import { ControllerHarness } from './harness.js';

const TOPICS = 10_000;
const PARTITIONS = 10;

function ms(start: number): number {
  return performance.now() - start;
}

function run(commitEvery: number) {
  const h = new ControllerHarness();
  for (const id of [1, 2, 3]) h.addBroker(id);
  const timing = { request: 0, encode: 0, apply: 0 };
  let batch: LogEntry[] = [];
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < TOPICS; i++) {
    let start = performance.now();
    const response = h.controller.createTopics([
      { name: `topic-${i}`, numPartitions: PARTITIONS, replicationFactor: 3 },
    ]);
    timing.request += ms(start);
    if (!response.ok || !response.reply[0]!.ok) throw new Error(`topic-${i} refused`);
    start = performance.now();
    const data = encodeRecords(response.records);
    timing.encode += ms(start);
    batch.push({ offset: response.offset, epoch: 1, kind: EntryKind.data, data });
    if (batch.length === commitEvery || i === TOPICS - 1) {
      start = performance.now();
      h.machine.apply(batch);
      timing.apply += ms(start);
      batch = [];
    }
  }
  const wallMs = ms(wall);
  const used = process.cpuUsage(cpu);
  return { h, timing, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

t.test(`measure: ${TOPICS} topics x ${PARTITIONS} partitions RF 3 on 3 brokers`, async (t) => {
  const partitions = TOPICS * PARTITIONS;
  t.comment(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}: timings are noisy`);
  for (const commitEvery of [1, 100]) {
    const { h, timing, wallMs, cpuMs } = run(commitEvery);
    t.equal(h.image.topics.byId.size, TOPICS);
    t.equal(h.controller.pendingWrites, 0, 'everything committed');
    const rate = Math.round(partitions / (wallMs / 1000));
    t.comment(`commit every ${commitEvery} entr${commitEvery === 1 ? 'y' : 'ies'}: ` +
      `${wallMs.toFixed(0)} ms end to end = ${rate} partitions/s, ` +
      `process CPU ${cpuMs.toFixed(0)} ms incl. GC threads ` +
      `(request ${timing.request.toFixed(0)} ms, encode ${timing.encode.toFixed(0)} ms, ` +
      `apply ${timing.apply.toFixed(0)} ms)`);
    if (commitEvery !== 1) continue;
    let start = performance.now();
    const bytes = encodeImage(h.image);
    const encodeMs = ms(start);
    start = performance.now();
    const restored = new MetadataStateMachine();
    restored.restore({ endOffset: h.image.provenance.offset + 1, epoch: 1 }, bytes);
    const restoreMs = ms(start);
    start = performance.now();
    const hash = imageHash(h.image);
    const hashMs = ms(start);
    t.equal(imageHash(restored.image), hash, 'the snapshot restores the same image');
    t.comment(`snapshot: ${(bytes.length / 1024 / 1024).toFixed(2)} MiB ` +
      `(${(bytes.length / partitions).toFixed(1)} bytes/partition), encoded in ` +
      `${encodeMs.toFixed(0)} ms, restored in ${restoreMs.toFixed(0)} ms; image hash in ` +
      `${hashMs.toFixed(0)} ms`);
  }
});
