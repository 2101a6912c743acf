/** Reading Node's fs errors: the code test and a one-line reason without the path repeated. */

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
