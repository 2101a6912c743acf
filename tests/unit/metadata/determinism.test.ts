import t from 'tap';
import { AssertionFailure } from '../../../lib/assert.js';
import { EntryKind, type LogEntry } from '../../../raft/core/types.js';
import {
  encodeRecords, imageHash, MetadataStateMachine, type MetadataDelta, type MetadataImage,
} from '../../../metadata/index.js';
import { ControllerHarness } from './harness.js';
import { runWorkload } from './random-workload.js';

function checkInvariants(image: MetadataImage): string | undefined {
  for (const topic of image.topics.byId.values()) {
    if (image.topics.byName.get(topic.name) !== topic) return `${topic.name}: byName != byId`;
    for (const p of topic.partitions) {
      if (p.isr.length === 0 ||
        p.isr.some((r) => !p.replicas.includes(r))) return `${topic.name}: ISR not in replicas`;
      if (p.leader !== -1 && !p.isr.includes(p.leader)) return `${topic.name}: leader not in ISR`;
    }
  }
  return undefined;
}

function replay(entries: readonly LogEntry[], batch: number): MetadataStateMachine {
  const machine = new MetadataStateMachine();
  for (let i = 0; i < entries.length; i += batch) machine.apply(entries.slice(i, i + batch));
  return machine;
}

t.test('random request sequences give identical images on two instances and on a ' +
  'standby', async (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const hashesA: number[] = [];
    const hashesB: number[] = [];
    const epochs = new Map<string, [number, number]>();
    let violation: string | undefined;
    const a = runWorkload(seed, 600, (h) => {
      hashesA.push(imageHash(h.image));
      violation ??= checkInvariants(h.image);
      for (const topic of h.image.topics.byId.values()) {
        topic.partitions.forEach((p, i) => {
          const key = `${topic.topicId}-${i}`;
          const [leaderEpoch, partitionEpoch] = epochs.get(key) ?? [0, 0];
          if (p.leaderEpoch < leaderEpoch ||
            p.partitionEpoch < partitionEpoch) violation ??= `${key} epochs went back`;
          epochs.set(key, [p.leaderEpoch, p.partitionEpoch]);
        });
      }
    });
    runWorkload(seed, 600, (h) => hashesB.push(imageHash(h.image)));
    t.equal(violation, undefined, `seed ${seed}: invariants hold after every step`);
    t.same(hashesA, hashesB, `seed ${seed}: same hash after every step`);
    t.ok(a.image.topics.byId.size > 0 && a.log.length > 50,
      `seed ${seed}: the run did something (${a.log.length} entries)`);
    for (const batch of [1, 7, 1000]) {
      t.equal(imageHash(replay(a.log, batch).image), imageHash(a.image),
        `seed ${seed}: standby replay in batches of ${batch}`);
    }
  }
});

t.test('a snapshot taken anywhere plus the rest of the log gives the same image ' +
  'hash', async (t) => {
  const a = runWorkload(9, 400);
  const n = a.log.length;
  for (const cut of [1, Math.floor(n / 3), Math.floor((2 * n) / 3), n - 1]) {
    const head = replay(a.log.slice(0, cut), 5);
    const restored = new MetadataStateMachine();
    const last = a.log[cut - 1]!;
    restored.restore({ endOffset: last.offset + 1, epoch: last.epoch }, head.snapshot());
    t.equal(imageHash(restored.image), imageHash(head.image), `cut ${cut}: snapshot round trip`);
    t.equal(restored.image.provenance.offset, last.offset);
    restored.apply(a.log.slice(cut));
    t.equal(imageHash(restored.image), imageHash(a.image), `cut ${cut}: then the tail`);
  }
});

t.test('the state machine publishes one (delta, image) per apply call; a control entry only ' +
  'moves the provenance', async (t) => {
  const h = new ControllerHarness();
  h.addBroker(1);
  h.createTopic('x', 2, 1);
  const machine = new MetadataStateMachine();
  const seen: [MetadataDelta, MetadataImage][] = [];
  const unsubscribe = machine.subscribe((delta, image) => seen.push([delta, image]));
  const control: LogEntry = { offset: 99, epoch: 1, kind: EntryKind.leaderChange,
    data: new Uint8Array() };
  machine.apply([...h.log, control]);
  t.equal(seen.length, 1);
  const [delta, image] = seen[0]!;
  t.equal(image, machine.image);
  // As a snapshot taken at the control entry would restore it (raft/state-machine.ts).
  t.same(image.provenance, { offset: 99, epoch: 1 }, 'the image stands at the control entry');
  t.same(delta.localChanges(1).leaders.map((p) => `${p.topicName}-${p.partitionId}`), ['x-0',
    'x-1']);
  unsubscribe();
  machine.apply([{ offset: 100, epoch: 1, kind: EntryKind.data,
    data: encodeRecords([{ type: 'NoOpRecord' }]) }]);
  t.equal(seen.length, 1, 'unsubscribed');
  t.equal(machine.image.provenance.offset, 100);
});

t.test('a corrupt committed entry or snapshot is a bug: the state machine asserts', async (t) => {
  const machine = new MetadataStateMachine();
  t.throws(() => machine.apply([{ offset: 0, epoch: 1, kind: EntryKind.data,
    data: Uint8Array.from([0xc1]) }]),
    AssertionFailure);
  t.throws(() => machine.restore({ endOffset: 5, epoch: 1 }, Uint8Array.from([0x91, 0x93, 0, 2,
    0])),
    AssertionFailure);
});

t.test('two controllers: the standby replays the active one\'s records to the same hash at each ' +
  'offset', async (t) => {
  const h = new ControllerHarness();
  const standby = new MetadataStateMachine();
  for (const id of [1, 2, 3]) h.addBroker(id);
  for (let i = 0; i < 20; i++) h.createTopic(`t${i}`, 3, 2);
  h.commit(h.controller.deleteTopics({ names: ['t3'] }));
  for (const entry of h.log) {
    standby.apply([entry]);
    const active = replay(h.log.filter((e) => e.offset <= entry.offset), 1000);
    const same = imageHash(standby.image) === imageHash(active.image);
    if (!same) t.fail(`offset ${entry.offset} differs`);
  }
  t.equal(imageHash(standby.image), imageHash(h.image));
});
