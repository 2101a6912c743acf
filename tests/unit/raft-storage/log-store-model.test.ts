/**
 * Model-based test: random operation sequences (seeded) run against FileLogStore and the
 * MemoryLogStore model side by side, with syncs left in flight while the log is cut, rolled and
 * reset, and restarts in between. Both must agree after every step, and the file store must not
 * leak descriptors. A failure prints its seed.
 */
import { readdirSync } from 'node:fs';
import t from 'tap';
import { createPrng, type Prng } from '../../../lib/prng.js';
import { FileLogStore, MemoryLogStore, type LogStore } from '../../../raft/storage/index.js';
import { describe, makeEntries, tempDir } from './fixtures/helpers.js';

const SEEDS = 25;
const STEPS = 250;
const limits = { segmentBytes: 256, batchBytesMax: 2048, batchEntriesMax: 16 };

const openDescriptors = () => readdirSync('/proc/self/fd').length;
const view = (store: LogStore) =>
  `${store.startOffset()}..${store.endOffset()} ${describe(store.readAll()).join()}`;

async function run(seed: number, dir: string, prng: Prng): Promise<string | undefined> {
  let file = await FileLogStore.open(dir, limits);
  let model = new MemoryLogStore(limits);
  let epoch = 1;
  const inFlight: Promise<void>[] = [];
  for (let step = 0; step < STEPS; step++) {
    const roll = prng.nextFloat();
    const start = model.startOffset();
    const end = model.endOffset();
    let op: string;
    if (roll < 0.45) {
      const count = prng.nextInt(1, 6);
      const entries = makeEntries(end, count, epoch, prng.nextInt(0, 40));
      file.append(entries);
      model.append(entries);
      op = `append ${end}+${count}`;
    } else if (roll < 0.6) {
      const offset = prng.nextInt(start, end + 1);
      file.truncateFrom(offset);
      model.truncateFrom(offset);
      epoch += 1; // a new leader's entries follow a divergence
      op = `truncateFrom ${offset}`;
    } else if (roll < 0.7) {
      const offset = prng.nextInt(start, end + 1);
      file.deleteBefore(offset);
      model.deleteBefore(offset);
      op = `deleteBefore ${offset}`;
    } else if (roll < 0.73) {
      const offset = prng.nextInt(0, end + 20);
      file.resetTo(offset);
      model.resetTo(offset);
      op = `resetTo ${offset}`;
    } else if (roll < 0.95) {
      inFlight.push(file.sync());
      op = 'sync';
    } else {
      await Promise.all(inFlight.splice(0));
      await file.close();
      await model.sync();
      file = await FileLogStore.open(dir, limits);
      model = model.crash();
      const at = `seed ${seed} step ${step}`;
      if (file.recovery.bytesTruncated !== 0) return `${at}: recovery cut a clean log`;
      // A restart forgets the logical start; the runtime re-applies it from its snapshot.
      if (file.startOffset() > model.startOffset()) return `${at}: start moved up`;
      file.deleteBefore(model.startOffset());
      op = 'restart';
    }
    if (view(file) !== view(model)) {
      return `seed ${seed} step ${step} (${op}): file and model differ`;
    }
  }
  await Promise.all(inFlight);
  await file.close();
  return undefined;
}

t.test('FileLogStore agrees with the in-memory model under random operations', async (t) => {
  const before = openDescriptors();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const dir = await tempDir(t);
    const problem = await run(seed, dir, createPrng(seed));
    if (problem !== undefined) t.fail(problem);
  }
  t.equal(openDescriptors(), before, 'every descriptor is closed');
});
