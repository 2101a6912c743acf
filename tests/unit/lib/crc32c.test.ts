import t from 'tap';
import { crc32c } from '../../../lib/crc32c.js';

// Test vectors from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
t.test('crc32c matches the published CRC-32C check value', async (t) => {
  t.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  t.equal(crc32c(new Uint8Array(0)), 0);
});

t.test('crc32c matches the RFC 3720 B.4 vectors', async (t) => {
  t.equal(crc32c(new Uint8Array(32)), 0x8a9136aa, '32 bytes of zeros');
  t.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43, '32 bytes of ones');
  t.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e, 'incrementing');
  t.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c, 'decrementing');
});

t.test('crc32c can be computed in pieces at any split point', async (t) => {
  const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff);
  const whole = crc32c(data);
  for (const split of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    t.equal(crc32c(data.subarray(split), crc32c(data.subarray(0, split))), whole, `split ${split}`);
  }
});
