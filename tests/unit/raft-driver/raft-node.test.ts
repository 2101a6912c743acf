import t from 'tap';
import { ManualClock } from '../../../lib/clock.js';
import { Role, type LogEntry } from '../../../raft/core/types.js';
import type { LeaderAndEpoch } from '../../../raft/driver/index.js';
import { ProposalError } from '../../../raft/pending-proposals.js';
import { RaftNode } from '../../../raft/runtime.js';
import {
  MemoryLogStore, MemoryQuorumStateStore, MemorySnapshotStore,
} from '../../../raft/storage/index.js';
import type { RaftTransport } from '../../../raft/transport/types.js';
import { value } from '../raft-core/harness.js';
import { RecordingMachine } from './fixtures.js';

const silentTransport: RaftTransport = {
  send: () => undefined,
  onMessage: () => undefined,
  onPeerDisconnected: () => undefined,
  close: async () => undefined,
};

/** A single voter on memory stores: it leads at once, so proposals commit on its own fsync. */
function singleVoter(clock = new ManualClock(1_000_000)) {
  const machine = new RecordingMachine();
  const node = new RaftNode({
    nodeId: 1, voters: [1], seed: 1, clock,
    logStore: new MemoryLogStore(), quorumStateStore: new MemoryQuorumStateStore(),
    snapshotStore: new MemorySnapshotStore(), transport: silentTransport, stateMachine: machine,
  });
  return { node, machine, clock };
}

t.test('propose() resolves once committed, after the state machine applied it', async (t) => {
  const { node, machine } = singleVoter();
  const committed: LogEntry[][] = [];
  node.onCommitted((entries) => committed.push([...entries]));
  const [first, second] = await Promise.all([node.propose(value(1)), node.propose(value(2))]);
  t.same([first, second], [{ offset: 1, epoch: 1 }, { offset: 2, epoch: 1 }]);
  t.same(machine.applied.map((e) => e.offset), [0, 1, 2]);
  t.ok(committed.flat().some((e) => e.offset === 2), 'the listener saw them');
  t.equal(node.appliedEndOffset, 3);
  await node.close();
});

t.test('close() rejects what is not committed yet with SHUTTING_DOWN', async (t) => {
  const { node } = singleVoter();
  const pending = node.propose(value(1));
  await node.close();
  const error = await pending.catch((e: unknown) => e);
  t.ok(error instanceof ProposalError);
  t.match(error, { code: 'SHUTTING_DOWN' });
  t.match(await node.propose(value(2)).catch((e: unknown) => e), { code: 'SHUTTING_DOWN' });
});

t.test('time comes from the injected clock: ticks and describeQuorum', async (t) => {
  const { node, clock } = singleVoter();
  await node.propose(value(1));
  const events: LeaderAndEpoch[] = [];
  node.onLeaderChange((leader) => events.push(leader));
  node.resign();
  await new Promise((resolve) => setImmediate(resolve));
  t.match(events, [{ role: Role.resigned, epoch: 1 }], 'heard at the next pump');
  // The election timeout (1000 ms by default) passes on the manual clock only.
  for (let i = 0; i < 400 && node.leaderAndEpoch.role !== Role.leader; i++) {
    clock.advance(10);
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.match(node.leaderAndEpoch, { role: Role.leader, epoch: 2 });
  t.match(events.at(-1), { role: Role.leader, epoch: 2 });
  const quorum = node.describeQuorum();
  t.equal(quorum.voters[0]?.lastFetchTimestamp, clock.nowMs(), 'wall-clock times of the clock');
  await node.close();
});
