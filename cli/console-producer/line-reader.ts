/**
 * Lines of standard input to records, as Kafka's LineMessageReader does
 * (tools/.../LineMessageReader.java). With parse.headers and parse.key a line reads
 * `h1:v1,h2:v2<headers.delimiter>key<key.separator>value`; a field equal to null.marker is null.
 * A line without the expected separator is an error (`No key separator found on line number N:
 * '<line>'`), unless ignore.error, when the missing part is null and the rest is the value.
 *
 * Deviation: Kafka compiles headers.separator as a Java regular expression; here it is split
 * literally (the default `,` behaves the same), and trailing empty pairs are dropped as Java's
 * String.split drops them.
 */

export interface LineReaderConfig {
  readonly parseKey: boolean;
  readonly parseHeaders: boolean;
  readonly ignoreError: boolean;
  readonly keySeparator: string;
  readonly headersDelimiter: string;
  readonly headersSeparator: string;
  readonly headersKeySeparator: string;
  readonly nullMarker: string | undefined;
}

export interface LineRecord {
  readonly key: string | null;
  readonly value: string | null;
  /** In line order; a key may repeat. */
  readonly headers: readonly { readonly key: string; readonly value: string | null }[];
}

/** A line (or reader configuration) Kafka's reader refuses; the message is Kafka's. */
export class LineReaderError extends Error {
  override name = 'LineReaderError';
}

const isTrue = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true';

/** The reader's `--property` keys, checked as LineMessageReader.configure checks them. */
export function lineReaderConfig(properties: ReadonlyMap<string, string>): LineReaderConfig {
  const config: LineReaderConfig = {
    parseKey: isTrue(properties.get('parse.key')),
    parseHeaders: isTrue(properties.get('parse.headers')),
    ignoreError: isTrue(properties.get('ignore.error')),
    keySeparator: properties.get('key.separator') ?? '\t',
    headersDelimiter: properties.get('headers.delimiter') ?? '\t',
    headersSeparator: properties.get('headers.separator') ?? ',',
    headersKeySeparator: properties.get('headers.key.separator') ?? ':',
    nullMarker: properties.get('null.marker'),
  };
  const pairs: [string, string, string, string][] = [
    ['headers.delimiter', config.headersDelimiter, 'headers.separator', config.headersSeparator],
    ['headers.delimiter', config.headersDelimiter, 'headers.key.separator',
      config.headersKeySeparator],
    ['headers.separator', config.headersSeparator, 'headers.key.separator',
      config.headersKeySeparator],
  ];
  if (config.nullMarker !== undefined) {
    pairs.push(['null.marker', config.nullMarker, 'key.separator', config.keySeparator],
      ['null.marker', config.nullMarker, 'headers.separator', config.headersSeparator],
      ['null.marker', config.nullMarker, 'headers.delimiter', config.headersDelimiter],
      ['null.marker', config.nullMarker, 'headers.key.separator', config.headersKeySeparator]);
  }
  for (const [a, aValue, b, bValue] of pairs) {
    if (aValue === bValue) throw new LineReaderError(`${a} and ${b} may not be equal`);
  }
  for (const [name, value] of [['key.separator', config.keySeparator],
    ['headers.delimiter', config.headersDelimiter], ['headers.separator', config.headersSeparator],
    ['headers.key.separator', config.headersKeySeparator]] as const) {
    // An empty separator would match everywhere; Java would loop on it the same way.
    if (value === '') throw new LineReaderError(`${name} may not be empty`);
  }
  return config;
}

/** One line (without its line terminator) as a record; throws LineReaderError on a bad line. */
export function parseLine(config: LineReaderConfig, line: string, lineNumber: number): LineRecord {
  const part = (enabled: boolean, start: number, demarcation: string, name: string) => {
    if (!enabled) return null;
    const index = line.indexOf(demarcation, start);
    if (index === -1) {
      if (config.ignoreError) return null;
      throw new LineReaderError(`No ${name} found on line number ${lineNumber}: '${line}'`);
    }
    return line.slice(start, index);
  };
  const headers = part(config.parseHeaders, 0, config.headersDelimiter, 'headers delimiter');
  const headerOffset = headers === null ? 0 : headers.length + config.headersDelimiter.length;
  const key = part(config.parseKey, headerOffset, config.keySeparator, 'key separator');
  const keyOffset = key === null ? 0 : key.length + config.keySeparator.length;
  const value = line.slice(headerOffset + keyOffset);
  const orNull = (text: string | null) => (text === null || text === config.nullMarker ? null
    : text);
  return {
    key: orNull(key),
    value: orNull(value),
    headers: headers === null || headers === config.nullMarker ? []
      : splitHeaders(config, headers, lineNumber),
  };
}

function splitHeaders(config: LineReaderConfig, headers: string, lineNumber: number) {
  const pairs = headers.split(config.headersSeparator);
  while (pairs.length > 0 && pairs[pairs.length - 1] === '') pairs.pop();
  return pairs.map((pair) => {
    const index = pair.indexOf(config.headersKeySeparator);
    if (index === -1) {
      if (config.ignoreError) return { key: pair, value: null };
      throw new LineReaderError(`No header key separator found in pair '${pair}' on line number ` +
        `${lineNumber}`);
    }
    const key = pair.slice(0, index);
    if (key === config.nullMarker) {
      throw new LineReaderError(`Header keys should not be equal to the null marker ` +
        `'${config.nullMarker}' as they can't be null`);
    }
    const value = pair.slice(index + config.headersKeySeparator.length);
    return { key, value: value === config.nullMarker ? null : value };
  });
}
