/**
 * Reads a Java properties file that a tool names on its command line (`--command-config`,
 * `--producer.config`, `--consumer.config`, ...), with the message Kafka's tools print when it
 * is missing and the line of the first syntax error.
 */
import { readFile } from 'node:fs/promises';
import { parseProperties } from '../../config/properties.js';
import { ToolConfigError } from './tool-errors.js';

export async function readPropertiesFile(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ToolConfigError(`Properties file ${path} does not exist.`);
  }
  const parsed = parseProperties(text);
  const error = parsed.errors[0];
  if (error !== undefined) throw new ToolConfigError(`${path}:${error.line}: ${error.message}`);
  return new Map(parsed.entries.map((entry) => [entry.key, entry.value]));
}
