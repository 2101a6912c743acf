/**
 * Argument parsing shared by the console and perf tools: yargs configured to read options the
 * way Kafka's joptsimple and argparse4j parsers do (no `--no-` negation, no camel-case copies,
 * no dot nesting, so `--producer.config` stays one option), with every failure turned into a
 * one-line UsageError in the parser's own wording. Typed accessors give joptsimple's messages.
 */
import type { Argv } from 'yargs';
import { UsageError, joptMessage, lastValue } from './tool-errors.js';

export interface OptionSpec {
  readonly name: string;
  /** flag: boolean; value: one string (the last wins); list: repeatable, and each takes all
   *  values up to the next option (argparse4j's nargs "+", e.g. --producer-props a=1 b=2);
   *  optional: a string that may be given without a value (then ''). */
  readonly kind: 'flag' | 'value' | 'list' | 'optional';
  readonly describe: string;
}

export interface ParserSpec {
  readonly scriptName: string;
  readonly usage: string;
  readonly options: readonly OptionSpec[];
  /** The parser's wording of a yargs failure (joptsimple's by default). */
  readonly message?: (yargsMessage: string) => string;
}

export type ParsedArgs = Readonly<Record<string, unknown>>;

/** The arguments, or 'help' once --help printed the usage through `print` (the tool's stdout). */
export async function parseArguments(argv: readonly string[], spec: ParserSpec,
  print: (text: string) => void): Promise<ParsedArgs | 'help'> {
  const { default: yargs } = await import('yargs');
  const message = spec.message ?? joptMessage;
  let parser: Argv = yargs([...argv]).scriptName(spec.scriptName).usage(spec.usage);
  for (const option of spec.options) {
    const { name, describe } = option;
    if (option.kind === 'flag') {
      parser = parser.option(name, { type: 'boolean', describe, coerce: lastValue });
    } else if (option.kind === 'list') {
      parser = parser.option(name, { type: 'string', array: true, requiresArg: true, describe });
    } else {
      parser = parser.option(name, { type: 'string', requiresArg: option.kind === 'value',
        describe, coerce: lastValue });
    }
  }
  const args = await parser
    .strict()
    .parserConfiguration({ 'boolean-negation': false, 'camel-case-expansion': false,
      'dot-notation': false, 'greedy-arrays': true })
    .version(false)
    .help(false)
    .option('help', { type: 'boolean', describe: 'Print usage information.' })
    .fail((text, error) => {
      throw error ?? new UsageError(message(text));
    })
    .parseAsync() as Record<string, unknown>;
  if (args['help'] === true) {
    parser.showHelp(print);
    return 'help';
  }
  return args;
}

export const has = (args: ParsedArgs, name: string): boolean =>
  args[name] !== undefined && args[name] !== false;

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args[name];
  return value === undefined ? undefined : String(value);
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args[name];
  return value === undefined ? [] : [value].flat().map(String);
}

/** An integer option in [min, max], with joptsimple's message when it is not one. */
export function intOption(args: ParsedArgs, name: string,
  range: { min?: number; max?: number } = {}): number | undefined {
  const text = args[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text.trim()) ||
    value < (range.min ?? -2_147_483_648) || value > (range.max ?? 2_147_483_647)) {
    throw new UsageError(`Cannot parse argument '${String(text)}' of option ${name}`);
  }
  return value;
}

/** A 64-bit integer option (Java's Long), within JavaScript's safe integers. */
export function longOption(args: ParsedArgs, name: string): number | undefined {
  return intOption(args, name, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
}
