/**
 * Three real controller processes on loopback: commit, SIGKILL the leader, check that a new
 * leader commits, restart the old one and check it catches up; then let a follower fall behind
 * the leader's snapshot point and check it catches up by installing the snapshot.
 */
import t from 'tap';
import { ControllerCluster } from '../harness/controller-cluster.js';
import { pollUntil } from '../harness/wait-for.js';

const RECORD = Buffer.alloc(200, 7);

async function proposeMany(cluster: ControllerCluster, count: number, inFlight = 32): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      await cluster.client.propose([RECORD], 10_000);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

interface Digest { appliedCount: number; crc: number }

async function digestOf(cluster: ControllerCluster, id: number): Promise<Digest> {
  return (await cluster.client.describe(id, 1000)).extra as Digest;
}

/** Waits until every running node applied the same entries (same count and CRC). */
async function converged(cluster: ControllerCluster, minimumCount: number): Promise<Digest> {
  return await pollUntil('all nodes to apply the same entries', async () => {
    const digests = await Promise.all(cluster.runningIds().map((id) => digestOf(cluster, id)));
    const first = digests[0];
    if (first === undefined || first.appliedCount < minimumCount) return undefined;
    const same = digests.every((d) => d.appliedCount === first.appliedCount && d.crc === first.crc);
    return same ? first : undefined;
  }, 20_000, 50);
}

t.test('a 3-controller quorum survives SIGKILL of its leader and the old leader catches up',
  async (t) => {
    const cluster = await ControllerCluster.create({
      size: 3,
      // A snapshot every ~100 entries, so that the second part can outrun a stopped follower.
      extraProperties: { 'metadata.log.max.record.bytes.between.snapshots': 20_000 },
    });
    t.teardown(() => cluster.stop());
    await cluster.startAll();
    const firstLeader = await cluster.leader();
    await proposeMany(cluster, 200);
    t.equal((await converged(cluster, 200)).appliedCount, 200, 'all three applied 200 entries');
    const { status } = await cluster.client.describe(firstLeader);
    t.equal(status.voters.length, 3, 'the leader describes all three voters');
    for (const voter of status.voters.filter((v) => v.nodeId !== firstLeader)) {
      t.ok(voter.lastFetchTimestamp > Date.now() - 5000, `voter ${voter.nodeId} fetched recently`);
      t.ok(voter.logEndOffset >= 200, `voter ${voter.nodeId} reports its log end offset`);
    }

    await cluster.kill(firstLeader);
    const secondLeader = await cluster.leader(10_000);
    t.not(secondLeader, firstLeader, 'a new leader was elected');
    await proposeMany(cluster, 100);
    t.equal((await converged(cluster, 300)).appliedCount, 300, 'the two survivors commit');

    await cluster.start(firstLeader);
    const digest = await converged(cluster, 300);
    t.equal(digest.appliedCount, 300, 'the restarted node caught up');
    t.equal(cluster.runningIds().length, 3);

    // A follower that misses more than the leader keeps behind its snapshot must install it.
    const leader = await cluster.leader();
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    await cluster.kill(follower);
    await proposeMany(cluster, 2500, 64);
    const restarted = await cluster.start(follower);
    await restarted.waitForLine(/Installed snapshot/, 20_000);
    const after = await converged(cluster, 2800);
    t.equal(after.appliedCount, 2800, 'the lagging follower caught up from a snapshot');
  });
