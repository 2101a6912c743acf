/**
 * Free loopback ports for multi-process tests. The kernel picks an ephemeral port; it is closed
 * again and handed to a child process. Voters must know each other's ports before they start,
 * which rules out letting each process bind port 0 itself.
 */
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
