/**
 * Reading Node's fs errors: the code test, a one-line reason without the path repeated, and
 * reading a file that may not exist.
 */
import { readFile } from 'node:fs/promises';

export function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/** `ENOENT: no such file or directory` rather than Node's message with the path repeated. */
export function osReason(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const text = error.message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
    return `${error.code}: ${text}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The file's text, or undefined when it (or its directory) does not exist; other I/O errors throw. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
