import t from 'tap';
import { randomUuid, uuidFromString, ZERO_UUID, ONE_UUID } from '../../../lib/uuid.js';

t.test('randomUuid gives 22 url-safe characters that decode to 16 bytes', async (t) => {
  for (let i = 0; i < 1000; i++) {
    const id = randomUuid();
    if (!/^[A-Za-z0-9_-]{22}$/.test(id) || id.startsWith('-')) t.fail(`bad id ${id}`);
    if (uuidFromString(id) === undefined) t.fail(`does not parse: ${id}`);
  }
  t.pass('1000 ids well formed');
});

t.test('randomUuid redraws a value whose text starts with a dash', async (t) => {
  const draws = [
    Uint8Array.from([0xf8, ...new Array<number>(15).fill(1)]), // encodes with a leading '-'
    Uint8Array.from({ length: 16 }, (_, i) => i + 1),
  ];
  let call = 0;
  const id = randomUuid(2, () => draws[call++]!);
  t.equal(call, 2, 'took the second draw');
  t.not(id, ZERO_UUID);
  t.notOk(id.startsWith('-'));
});

t.test('uuidFromString accepts the reserved forms and rejects wrong lengths', async (t) => {
  t.ok(uuidFromString(ZERO_UUID));
  t.ok(uuidFromString(ONE_UUID));
  t.equal(uuidFromString('abc'), undefined);
  t.equal(uuidFromString('AAAAAAAAAAAAAAAAAAAAAAA'), undefined);
  t.equal(uuidFromString('AAAAAAAAAAAAAAAAAAAAA+'), undefined);
});
