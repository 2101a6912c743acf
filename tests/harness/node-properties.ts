/**
 * server.properties for test and benchmark nodes on loopback, written one way for every
 * harness: the roles, the node id, the static voters, a listener per role on a port chosen
 * beforehand (voters and brokers must know each other's ports), and one data directory.
 */
export interface NodePropertiesOptions {
  readonly nodeId: number;
  readonly roles: readonly ('broker' | 'controller')[];
  /** Voter id to controller port. */
  readonly voters: ReadonlyMap<number, number>;
  /** The broker listener's port (brokers only). */
  readonly brokerPort?: number;
  readonly dataDir: string;
  readonly extra?: Readonly<Record<string, string | number>>;
}

export function nodeProperties(options: NodePropertiesOptions): string {
  const { nodeId, roles, voters } = options;
  const listeners: string[] = [];
  if (roles.includes('broker')) {
    if (options.brokerPort === undefined) throw new Error(`broker ${nodeId} needs a port`);
    listeners.push(`PLAINTEXT://127.0.0.1:${options.brokerPort}`);
  }
  if (roles.includes('controller')) {
    const port = voters.get(nodeId);
    if (port === undefined) throw new Error(`controller ${nodeId} is not a voter`);
    listeners.push(`CONTROLLER://127.0.0.1:${port}`);
  }
  const lines = [
    `process.roles=${roles.join(',')}`,
    `node.id=${nodeId}`,
    `controller.quorum.voters=${[...voters].map(([id, port]) => `${id}@127.0.0.1:${port}`).join(',')}`,
    `listeners=${listeners.join(',')}`,
    'controller.listener.names=CONTROLLER',
    ...(roles.includes('broker') ? ['inter.broker.listener.name=PLAINTEXT'] : []),
    `log.dirs=${options.dataDir}`,
    ...Object.entries(options.extra ?? {}).map(([key, value]) => `${key}=${value}`),
  ];
  return `${lines.join('\n')}\n`;
}
