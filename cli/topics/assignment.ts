/**
 * Parsing of kafka-topics' --replica-assignment and --config values, with TopicCommand's
 * messages (parseReplicaAssignment, parseTopicConfigsToBeAdded).
 */
import { CommandError } from '../common/tool-errors.js';

/** "1:2,2:3" -> [[1, 2], [2, 3]]: one replica list per partition, all the same length. */
export function parseReplicaAssignment(text: string): number[][] {
  const lists: number[][] = [];
  for (const [index, part] of text.split(',').entries()) {
    const brokers = part.split(':').map((id) => {
      const trimmed = id.trim();
      if (!/^[+-]?\d+$/.test(trimmed)) throw new CommandError(`For input string: "${trimmed}"`);
      return Number(trimmed);
    });
    const duplicates = [...new Set(brokers.filter((id, i) => brokers.indexOf(id) !== i))];
    if (duplicates.length > 0) {
      throw new CommandError('Partition replica lists may not contain duplicate entries: ' +
        duplicates.join(','));
    }
    if (index > 0 && brokers.length !== lists[0]!.length) {
      throw new CommandError(`Partition ${index} has different replication factor: ` +
        `[${brokers.join(', ')}]`);
    }
    lists.push(brokers);
  }
  return lists;
}

/** name=value pairs, split on '=' with the spaces around it dropped, as Kafka does. */
export function parseTopicConfigs(values: readonly string[]): { name: string; value: string }[] {
  const pairs = values.map((value) => value.split(/\s*=\s*/));
  if (!pairs.every((pair) => pair.length === 2)) {
    throw new CommandError('requirement failed: Invalid topic config: all configs to be added ' +
      'must be in the format "key=val".');
  }
  const configs = new Map<string, string>();
  for (const [name, value] of pairs) configs.set(name!.trim(), value!.trim());
  return [...configs].map(([name, value]) => ({ name, value }));
}
