/**
 * Java `.properties` files, read the way java.util.Properties.load does (Kafka reads
 * server.properties and meta.properties through it), and written the way Properties.store does.
 *
 * Reading rules (Properties.load javadoc):
 * - a natural line ends at \n, \r or \r\n; a logical line continues over a natural line that
 *   ends in an odd number of backslashes, and the continuation's leading whitespace is dropped;
 * - blank lines and lines whose first non-blank character is `#` or `!` are comments (a comment
 *   never continues, even if it ends in a backslash);
 * - the key ends at the first unescaped `=`, `:` or whitespace; whitespace, at most one `=` or
 *   `:`, and more whitespace then separate it from the value;
 * - escapes: \t \n \r \f, \uXXXX, and any other \x means x; a malformed \uXXXX is an error;
 * - whitespace before the key and before the value is dropped; trailing whitespace of the value
 *   is kept, as in Java (Kafka trims values later, when it converts them to typed values).
 * Whitespace means space, tab and form feed. Files are read as UTF-8, not ISO-8859-1 as the
 * Java InputStream overload would: \uXXXX escapes behave the same and UTF-8 text stays readable.
 */

export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based number of the natural line where the logical line starts. */
  readonly line: number;
}

export interface PropertyError {
  readonly line: number;
  readonly message: string;
}

export interface ParsedProperties {
  /** Entries in file order; a key may repeat, and the last occurrence wins as in Java. */
  readonly entries: readonly PropertyEntry[];
  readonly errors: readonly PropertyError[];
}

const WHITESPACE = new Set([' ', '\t', '\f']);

export function parseProperties(text: string): ParsedProperties {
  const entries: PropertyEntry[] = [];
  const errors: PropertyError[] = [];
  for (const logical of logicalLines(text.split(/\r\n|\r|\n/))) {
    const { key, value, error } = splitKeyValue(logical.text);
    if (error !== undefined) errors.push({ line: logical.line, message: error });
    else entries.push({ key, value, line: logical.line });
  }
  return { entries, errors };
}

interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

/** Joins continued lines and drops comments and blank lines. */
function* logicalLines(natural: readonly string[]): Generator<LogicalLine> {
  for (let i = 0; i < natural.length; i++) {
    const first = stripLeadingWhitespace(natural[i]!);
    if (first === '' || first.startsWith('#') || first.startsWith('!')) continue;
    const line = i + 1;
    let text = first;
    while (endsWithOddBackslashes(text) && i + 1 < natural.length) {
      i += 1;
      text = text.slice(0, -1) + stripLeadingWhitespace(natural[i]!);
    }
    // A continuation backslash on the last line of the file joins nothing and is dropped.
    if (endsWithOddBackslashes(text)) text = text.slice(0, -1);
    yield { text, line };
  }
}

function stripLeadingWhitespace(text: string): string {
  let start = 0;
  while (start < text.length && WHITESPACE.has(text[start]!)) start += 1;
  return text.slice(start);
}

function endsWithOddBackslashes(text: string): boolean {
  let count = 0;
  for (let i = text.length - 1; i >= 0 && text[i] === '\\'; i--) count += 1;
  return count % 2 === 1;
}

/** Splits one logical line (already without leading whitespace) into unescaped key and value. */
function splitKeyValue(text: string): { key: string; value: string; error?: string } {
  let keyEnd = 0;
  while (keyEnd < text.length) {
    const c = text[keyEnd]!;
    if (c === '\\') keyEnd += 2;
    else if (c === '=' || c === ':' || WHITESPACE.has(c)) break;
    else keyEnd += 1;
  }
  keyEnd = Math.min(keyEnd, text.length);
  let valueStart = keyEnd;
  while (valueStart < text.length && WHITESPACE.has(text[valueStart]!)) valueStart += 1;
  if (text[valueStart] === '=' || text[valueStart] === ':') valueStart += 1;
  while (valueStart < text.length && WHITESPACE.has(text[valueStart]!)) valueStart += 1;
  const key = unescape(text.slice(0, keyEnd));
  const value = unescape(text.slice(valueStart));
  const error = key.error ?? value.error;
  return error === undefined ? { key: key.text, value: value.text } : { key: '', value: '', error };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): { text: string; error?: string } {
  if (!text.includes('\\')) return { text };
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i += 1;
    if (i >= text.length) break;
    const next = text[i]!;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      // Java's own message for this case.
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { text: '', error: 'Malformed \\uxxxx encoding.' };
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return { text: out };
}

/**
 * Renders entries as Properties.store(writer, comment) does: the comment line, a `#` line with
 * the date in java.util.Date.toString form, then `key=value` lines with Java's escaping.
 */
export function storeProperties(
  entries: Iterable<readonly [string, string]>,
  comment: string,
  now: Date,
): string {
  let out = `#${comment}\n#${javaDateString(now)}\n`;
  for (const [key, value] of entries) out += `${escape(key, true)}=${escape(value, false)}\n`;
  return out;
}

/** Properties.saveConvert: spaces are escaped everywhere in keys, only when leading in values. */
function escape(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (c === ' ') out += i === 0 || isKey ? '\\ ' : ' ';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if ('=:#!\\'.includes(c)) out += `\\${c}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${hex4(code)}`;
    else out += c;
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = [
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
] as const;

const hex4 = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/** `EEE MMM dd HH:mm:ss zzz yyyy` in UTC, e.g. `Sat Nov 22 03:21:00 UTC 2025`. */
export function javaDateString(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(two).join(':');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ` +
    `${time} UTC ${date.getUTCFullYear()}`;
}
