/**
 * The native add-ons chosen for speed load as native code, not through their JavaScript
 * fallbacks: an install that skipped their scripts, or a platform without a prebuild, would
 * otherwise pass every other test while running slower.
 */
import t from 'tap';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { isNativeAccelerationEnabled } from 'msgpackr';

const require = createRequire(import.meta.url);

t.test('msgpackr decodes with its native extractor (msgpackr-extract)', async (t) => {
  t.equal(isNativeAccelerationEnabled, true);
});

t.test('bufferutil masks WebSocket frames natively', async (t) => {
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => { mask: unknown };
  const binding = nodeGypBuild(dirname(require.resolve('bufferutil/package.json')));
  t.type(binding.mask, 'function');
});

t.test('CRC-32C comes from the native @node-rs/crc32 binding', async (t) => {
  const { crc32c } = require('@node-rs/crc32') as { crc32c: (data: Buffer) => number };
  t.equal(crc32c(Buffer.from('123456789')), 0xe3069283, 'the CRC-32C check value');
});
