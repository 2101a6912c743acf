/**
 * Kafka's topic naming rules (`clients/.../common/internals/Topic.java`), for the broker to
 * answer INVALID_TOPIC_EXCEPTION with Kafka's text and for tools to warn as Kafka's do.
 */

/** Kafka's Topic.MAX_NAME_LENGTH: a partition directory name must fit in 255 bytes. */
export const MAX_TOPIC_NAME_CHARS = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;
export const INTERNAL_TOPICS: ReadonlySet<string> =
  new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

/** Why `name` is not a legal topic name, in Kafka's words, or undefined when it is legal. */
export function topicNameError(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_CHARS) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_CHARS} characters, ` +
      `Topic name: ${name}`;
  }
  if (!LEGAL.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII ` +
      "alphanumerics, '.', '_' and '-'";
  }
  return undefined;
}

/** '.' and '_' map to the same metric name, so topics differing only there collide. */
export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}
