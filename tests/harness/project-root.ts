/**
 * The project's root directory, found from this module's own place: tests run from their
 * sources (`npx tap tests/x.test.ts`) or compiled under dist/ (`npm test`), and read sources,
 * shipped configs and the built tools from the root either way.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
  .replace(/[\\/]dist$/, '');

/** A path under the project's root. */
export const rootPath = (...parts: string[]): string => join(projectRoot, ...parts);

/** A built tool: dist/cli/<tool>.js (from `npm run build`). */
export const distCli = (tool: string): string => rootPath('dist', 'cli', `${tool}.js`);
