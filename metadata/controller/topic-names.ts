/**
 * Kafka's topic name rules and messages (org.apache.kafka.common.internals.Topic.validate):
 * ASCII alphanumerics, '.', '_' and '-', at most 249 characters, not "." or "..".
 */
export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** The reason the name is illegal, or undefined when it is fine. */
export function topicNameError(name: string): string | undefined {
  if (name.length === 0) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} ` +
      `characters, Topic name: ${name}`;
  }
  if (!LEGAL.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ` +
      'ASCII alphanumerics, \'.\', \'_\' and \'-\'';
  }
  return undefined;
}
