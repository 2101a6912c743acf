/**
 * What kafka-topics does once its arguments are checked: Kafka's TopicService (create, list,
 * describe, delete, alter) over raftka's admin client. Output goes through `print`, one line
 * per call; failures are thrown (CommandError or the client's RaftkaError) for the tool to
 * print as `Error while executing topic command : <message>`.
 */
import type { Admin } from '../../client/index.js';
import { ConfigResourceTypes } from '../../client/index.js';
import { hasCollisionChars, isInternalTopic } from '../../protocol/topic-name.js';
import { parseReplicaAssignment, parseTopicConfigs } from './assignment.js';
import {
  isUnavailable, isUnderReplicated, partitionLine, topicLine,
} from './describe-format.js';
import type { TopicOptions } from './options.js';
import { CommandError } from '../common/tool-errors.js';

export type Print = (line: string) => void;

export async function runTopicCommand(options: TopicOptions, admin: Admin, print: Print) {
  switch (options.action) {
    case 'create': return createTopic(options, admin, print);
    case 'list': return listTopics(options, admin, print);
    case 'describe': return describeTopics(options, admin, print);
    case 'delete': return deleteTopics(options, admin);
    case 'alter': return alterTopics(options, admin);
  }
}

async function createTopic(options: TopicOptions, admin: Admin, print: Print): Promise<void> {
  const name = options.topic!;
  if (hasCollisionChars(name)) {
    print("WARNING: Due to limitations in metric names, topics with a period ('.') or " +
      "underscore ('_') could collide. To avoid issues it is best to use either, but not both.");
  }
  const factor = options.replicationFactor;
  if (factor !== undefined && (factor < 1 || factor > 32_767)) {
    throw new CommandError('The replication factor must be between 1 and 32767 inclusive');
  }
  if (options.partitions !== undefined && options.partitions < 1) {
    throw new CommandError('The partitions must be greater than 0');
  }
  const configEntries = parseTopicConfigs(options.configs);
  const assignment = options.replicaAssignment === undefined || options.replicaAssignment === ''
    ? undefined : parseReplicaAssignment(options.replicaAssignment);
  const created = await admin.createTopics({
    waitForLeaders: false,
    topics: [assignment === undefined
      ? { topic: name, numPartitions: options.partitions ?? -1,
        replicationFactor: options.replicationFactor ?? -1, configEntries }
      : { topic: name, configEntries,
        replicaAssignment: assignment.map((replicas, partition) => ({ partition, replicas })) }],
  });
  if (created) print(`Created topic ${name}.`);
  else if (!options.ifNotExists) throw new CommandError(`Topic '${name}' already exists.`);
}

async function listTopics(options: TopicOptions, admin: Admin, print: Print): Promise<void> {
  print((await matchingTopics(options, admin)).join('\n'));
}

async function describeTopics(options: TopicOptions, admin: Admin, print: Print): Promise<void> {
  const names = await existingTopics(options, admin);
  if (names.length === 0) return;
  const { topics } = await admin.fetchTopicMetadata({ topics: names });
  const { resources } = await admin.describeConfigs({
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const { brokers } = await admin.describeCluster();
  const live = new Set(brokers.map((b) => b.nodeId));
  const filtered = options.underReplicatedPartitions || options.unavailablePartitions;
  for (const topic of [...topics].sort((a, b) => compare(a.name, b.name))) {
    if (!filtered) {
      const configs = resources.find((r) => r.resourceName === topic.name)?.configEntries ?? [];
      print(topicLine({
        name: topic.name,
        topicId: topic.topicId,
        partitionCount: topic.partitions.length,
        replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
        configs: configs.filter((c) => !c.isDefault).map((c) => `${c.configName}=${c.configValue}`),
      }));
    }
    for (const partition of topic.partitions) {
      const shown = !filtered ||
        (options.underReplicatedPartitions && isUnderReplicated(partition)) ||
        (options.unavailablePartitions && isUnavailable(partition, live));
      if (shown) print(partitionLine(topic.name, partition));
    }
  }
}

async function deleteTopics(options: TopicOptions, admin: Admin): Promise<void> {
  const names = await existingTopics(options, admin);
  if (names.length > 0) await admin.deleteTopics({ topics: names });
}

async function alterTopics(options: TopicOptions, admin: Admin): Promise<void> {
  const names = await existingTopics(options, admin);
  if (names.length === 0) return;
  const count = options.partitions!;
  const assignment = options.replicaAssignment === undefined || options.replicaAssignment === ''
    ? undefined : parseReplicaAssignment(options.replicaAssignment);
  const current = assignment === undefined ? new Map<string, number>()
    : new Map((await admin.fetchTopicMetadata({ topics: names })).topics
      .map((t) => [t.name, t.partitions.length]));
  await admin.createPartitions({
    topicPartitions: names.map((topic) => (assignment === undefined ? { topic, count }
      : { topic, count, assignments: assignment.slice(current.get(topic) ?? 0) })),
  });
}

/** Topics matching --topic (all when absent), sorted, checked to exist unless --if-exists. */
async function existingTopics(options: TopicOptions, admin: Admin): Promise<string[]> {
  const names = await matchingTopics(options, admin);
  const named = options.topic !== undefined && options.topic !== '';
  if (named && !options.ifExists && names.length === 0) {
    throw new CommandError(`Topic '${options.topic}' does not exist as expected`);
  }
  return names;
}

async function matchingTopics(options: TopicOptions, admin: Admin): Promise<string[]> {
  const all = (await admin.listTopics()).sort(compare);
  const visible = all.filter((name) => !(options.excludeInternal && isInternalTopic(name)));
  if (options.topic === undefined) return visible;
  const pattern = includeList(options.topic);
  return visible.filter((name) => pattern.test(name));
}

/** Kafka's TopicFilter.IncludeList: commas mean "or", quotes and spaces are dropped. */
function includeList(raw: string): RegExp {
  const regex = raw.trim().replaceAll(',', '|').replaceAll(' ', '')
    .replace(/^["']+/, '').replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    throw new CommandError(`${regex} is an invalid regex.`);
  }
}

/** Java's String.compareTo order (UTF-16 code units), as Kafka sorts topic names. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
