/**
 * The bits of Java's printf and SimpleDateFormat the perf tools' output needs, so the lines
 * match Kafka's character for character: `%.Nf` (NaN and Infinity as Java spells them, which
 * is also how toFixed spells them), `%f` (six decimals), `%d` of a latency held in fractional
 * milliseconds (Kafka keeps whole milliseconds, truncated), and date patterns such as
 * `yyyy-MM-dd HH:mm:ss:SSS` in local time.
 */

/** Java's `%.{digits}f`. */
export function fixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return value.toFixed(digits);
}

/** Java's `%d` of a latency Kafka would have truncated to whole milliseconds. */
export function wholeMs(value: number): string {
  return String(Math.trunc(value));
}

/** Kafka's --date-format default. */
export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd HH:mm:ss:SSS';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * A SimpleDateFormat pattern in local time. Supported letters: y (year), M (month), d (day),
 * H (hour 0-23), m (minute), s (second), S (millisecond); text in single quotes is literal
 * and other characters are copied.
 */
export function formatDate(pattern: string, epochMs: number): string {
  const date = new Date(epochMs);
  const fields: Record<string, (width: number) => string> = {
    y: (width) => width === 2 ? pad(date.getFullYear() % 100, 2) : pad(date.getFullYear(), width),
    M: (width) => pad(date.getMonth() + 1, width),
    d: (width) => pad(date.getDate(), width),
    H: (width) => pad(date.getHours(), width),
    m: (width) => pad(date.getMinutes(), width),
    s: (width) => pad(date.getSeconds(), width),
    S: (width) => pad(date.getMilliseconds(), width),
  };
  let out = '';
  let at = 0;
  while (at < pattern.length) {
    const letter = pattern[at]!;
    if (letter === "'") {
      const end = pattern.indexOf("'", at + 1);
      const stop = end < 0 ? pattern.length : end;
      out += stop === at + 1 ? "'" : pattern.slice(at + 1, stop);
      at = stop + 1;
      continue;
    }
    let width = 1;
    while (pattern[at + width] === letter) width += 1;
    const field = fields[letter];
    out += field === undefined ? letter.repeat(width) : field(width);
    at += width;
  }
  return out;
}

/** Bytes to Kafka's "MB" (MiB). */
export const megabytes = (bytes: number): number => bytes / (1024 * 1024);

/** A number for the JSON summary line: three decimals, and 0 for NaN or Infinity. */
export function jsonNumber(value: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(3)) : 0;
}
