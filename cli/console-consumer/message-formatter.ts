/**
 * Records as text, exactly as Kafka's DefaultMessageFormatter writes them
 * (tools/.../consumer/DefaultMessageFormatter.java). Fields, in this order and each only when
 * its print.* property is true: `CreateTime:<ms>` (or `LogAppendTime:<ms>`), `Partition:<p>`,
 * `Offset:<o>`, headers `k:v<headers.separator>k2:v2` (or `NO_HEADERS`), key, value (print.value
 * defaults to true, the others to false). key.separator goes between fields and line.separator
 * after the last one; a null key, value or header value prints as null.literal. Keys, values
 * and header values are written as their raw bytes (Kafka's default byte-array deserializers).
 * Unknown properties are ignored, as Kafka's formatter ignores them; print.epoch and
 * print.delivery have nothing to show here yet and are ignored too.
 */
import type { KafkaMessage } from '../../client/index.js';

export interface FormatterConfig {
  readonly printTimestamp: boolean;
  readonly printPartition: boolean;
  readonly printOffset: boolean;
  readonly printHeaders: boolean;
  readonly printKey: boolean;
  readonly printValue: boolean;
  readonly keySeparator: Buffer;
  readonly lineSeparator: Buffer;
  readonly headersSeparator: Buffer;
  readonly nullLiteral: Buffer;
}

/** Record batch attribute bit 3: the timestamp is the broker's append time (KIP-32). */
const LOG_APPEND_TIME_ATTRIBUTE = 0x08;

export function formatterConfig(properties: ReadonlyMap<string, string>): FormatterConfig {
  const flag = (key: string, otherwise: boolean) => {
    const value = properties.get(key);
    return value === undefined ? otherwise : value.trim().toLowerCase() === 'true';
  };
  const bytes = (key: string, otherwise: string) => Buffer.from(properties.get(key) ?? otherwise);
  return {
    printTimestamp: flag('print.timestamp', false),
    printPartition: flag('print.partition', false),
    printOffset: flag('print.offset', false),
    printHeaders: flag('print.headers', false),
    printKey: flag('print.key', false),
    printValue: flag('print.value', true),
    keySeparator: bytes('key.separator', '\t'),
    lineSeparator: bytes('line.separator', '\n'),
    headersSeparator: bytes('headers.separator', ','),
    nullLiteral: bytes('null.literal', 'null'),
  };
}

/** Appends the record's text to `out` (one Buffer.concat per batch keeps writes few). */
export function formatRecord(config: FormatterConfig, partition: number, message: KafkaMessage,
  out: Buffer[]): void {
  const { printPartition: partitionOn, printOffset: offsetOn, printHeaders: headersOn,
    printKey: keyOn, printValue: valueOn } = config;
  const separator = (more: boolean) => out.push(more ? config.keySeparator : config.lineSeparator);
  if (config.printTimestamp) {
    const type = (message.attributes & LOG_APPEND_TIME_ATTRIBUTE) !== 0 ? 'LogAppendTime'
      : 'CreateTime';
    out.push(Buffer.from(`${type}:${message.timestamp}`));
    separator(partitionOn || offsetOn || headersOn || keyOn || valueOn);
  }
  if (partitionOn) {
    out.push(Buffer.from(`Partition:${partition}`));
    separator(offsetOn || headersOn || keyOn || valueOn);
  }
  if (offsetOn) {
    out.push(Buffer.from(`Offset:${message.offset}`));
    separator(headersOn || keyOn || valueOn);
  }
  if (headersOn) {
    formatHeaders(config, message, out);
    separator(keyOn || valueOn);
  }
  if (keyOn) {
    out.push(message.key ?? config.nullLiteral);
    separator(valueOn);
  }
  if (valueOn) {
    out.push(message.value ?? config.nullLiteral);
    out.push(config.lineSeparator);
  }
}

function formatHeaders(config: FormatterConfig, message: KafkaMessage, out: Buffer[]): void {
  let first = true;
  for (const [key, value] of Object.entries(message.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!first) out.push(config.headersSeparator);
      first = false;
      out.push(Buffer.from(`${key}:`), item ?? config.nullLiteral);
    }
  }
  if (first) out.push(Buffer.from('NO_HEADERS'));
}

/** The record's text as a string (for tests and callers that want one record). */
export function formatRecordText(config: FormatterConfig, partition: number,
  message: KafkaMessage): string {
  const out: Buffer[] = [];
  formatRecord(config, partition, message, out);
  return Buffer.concat(out).toString('utf8');
}
