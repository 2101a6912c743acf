import t from 'tap';
import { createPrng } from '../../../lib/prng.js';
import { PersistentMap } from '../../../metadata/image/persistent-map.js';

function sorted<K extends string | number, V>(map: ReadonlyMap<K, V>): [K, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

t.test('random sets and deletes agree with a Map (model test)', async (t) => {
  const prng = createPrng(11);
  let map = PersistentMap.empty<string, number>();
  const model = new Map<string, number>();
  const history: [PersistentMap<string, number>, [string, number][]][] = [];
  for (let step = 0; step < 20_000; step++) {
    const key = `k${prng.nextInt(0, 3000)}`;
    if (prng.chance(0.6)) {
      const value = prng.nextInt(0, 5);
      map = map.set(key, value);
      model.set(key, value);
    } else {
      map = map.delete(key);
      model.delete(key);
    }
    if (map.size !== model.size) t.fail(`size ${map.size} != ${model.size} at step ${step}`);
    if (step % 2000 === 0) history.push([map, sorted(model)]);
  }
  t.same(sorted(map), sorted(model));
  for (const key of model.keys()) if (map.get(key) !== model.get(key)) t.fail(`get ${key}`);
  t.equal(map.get('absent'), undefined);
  for (const [old, expected] of history) t.same(sorted(old), expected, 'old versions are ' +
    'unchanged');
});

t.test('number keys and colliding hashes are kept apart', async (t) => {
  let map = PersistentMap.empty<number, string>();
  // 1.5 and 1 share a hash (the integer part); === still tells them apart.
  map = map.set(1, 'one').set(1.5, 'one and a half').set(-1, 'minus one');
  t.equal(map.get(1), 'one');
  t.equal(map.get(1.5), 'one and a half');
  t.equal(map.size, 3);
  map = map.delete(1);
  t.equal(map.get(1), undefined);
  t.equal(map.get(1.5), 'one and a half');
  t.equal(map.size, 2);
});

t.test('setting an equal value or deleting an absent key returns the same map', async (t) => {
  const map = PersistentMap.from<string, number>([['a', 1], ['b', 2]]);
  t.equal(map.set('a', 1), map);
  t.equal(map.delete('zzz'), map);
  t.same(sorted(map), [['a', 1], ['b', 2]]);
});

t.test('deleting every key leaves an empty map', async (t) => {
  let map = PersistentMap.empty<number, number>();
  for (let i = 0; i < 5000; i++) map = map.set(i, i);
  for (let i = 0; i < 5000; i++) map = map.delete(i);
  t.equal(map.size, 0);
  t.same([...map], []);
});
