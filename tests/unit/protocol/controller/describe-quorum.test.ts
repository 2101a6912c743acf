import t from 'tap';
import {
  ControllerApi, NO_ERROR, QUORUM_ROLES, wireError,
} from '../../../../protocol/controller/index.js';
import { Role } from '../../../../raft/core/types.js';
import {
  controllerErrorRoundTrip, controllerReplyRoundTrip, controllerRequestRoundTrip,
  rejectsControllerReply, rejectsControllerRequest,
} from '../fixtures/controller-round-trip.js';

const api = ControllerApi.describeQuorum;
const replica = {
  nodeId: 2, logEndOffset: 120, lastFetchTimestamp: 1_700_000_000_000,
  lastCaughtUpTimestamp: -1,
};
const status = {
  nodeId: 1, role: 'Leader' as const, epoch: 5, leaderId: 1, votedId: 1, highWatermark: 118,
  logStartOffset: 0, logEndOffset: 120, flushedEndOffset: 120,
  voters: [{ ...replica, nodeId: 1 }, replica], observers: [{ ...replica, nodeId: 100 }],
};

t.test('describeQuorum request and reply survive a round trip (KIP-595)', async (t) => {
  controllerRequestRoundTrip(t, api, { leaderOnly: true });
  controllerRequestRoundTrip(t, api, {});
  controllerReplyRoundTrip(t, api, 1, { status });
  controllerReplyRoundTrip(t, api, -1, {
    status: { ...status, role: 'Unattached', leaderId: -1, votedId: -1, voters: [],
      observers: [] },
  });
  controllerErrorRoundTrip(t, api, 1, wireError('NOT_CONTROLLER', 'not the quorum leader'));
});

t.test('the reply names every Raft role the status may report', async (t) => {
  t.strictSame([...QUORUM_ROLES].sort(), Object.values(Role).sort());
});

t.test('describeQuorum payloads are checked on both sides, naming the field', async (t) => {
  rejectsControllerRequest(t, api, { leaderOnly: 1 }, 'payload.leaderOnly');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, status: { ...status,
    role: 'Boss' } }, 'payload.status.role');
  rejectsControllerReply(t, api, { ...NO_ERROR, leaderId: 1, status: { ...status,
    voters: [{ ...replica, lastFetchTimestamp: -5 }] } },
  'payload.status.voters[0].lastFetchTimestamp');
});
