import t from 'tap';
import { createPrng } from '../../../lib/prng.js';

t.test('the same seed gives the same sequence', async (t) => {
  const a = createPrng(42);
  const b = createPrng(42);
  for (let i = 0; i < 1000; i++) t.equal(a.nextUint32(), b.nextUint32());
});

t.test('different seeds give different sequences', async (t) => {
  const a = Array.from({ length: 8 }, createPrng(1).nextUint32);
  const b = Array.from({ length: 8 }, createPrng(2).nextUint32);
  t.not(a.join(), b.join());
});

t.test('nextInt stays in range and covers it roughly uniformly', async (t) => {
  const prng = createPrng(7);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const v = prng.nextInt(0, 10);
    if (v < 0 || v >= 10) t.fail(`out of range: ${v}`);
    counts[v]! += 1;
  }
  for (const c of counts) t.ok(c > 9_000 && c < 11_000, `bucket count ${c} near 10000`);
});

t.test('nextFloat is in [0, 1) and forks are independent but reproducible', async (t) => {
  const prng = createPrng(3);
  for (let i = 0; i < 10_000; i++) {
    const f = prng.nextFloat();
    if (f < 0 || f >= 1) t.fail(`out of range: ${f}`);
  }
  const f1 = createPrng(9).fork();
  const f2 = createPrng(9).fork();
  t.equal(f1.nextUint32(), f2.nextUint32());
});

t.test('a non-integer seed is a bug', async (t) => {
  t.throws(() => createPrng(1.5), { name: 'AssertionFailure' });
});
