import t from 'tap';
import { alignLogWithSnapshot, type LogExtent } from '../../../raft/storage/index.js';

/** A log of `epochs[i]` at offset start + i. */
function log(startOffset: number, epochs: readonly number[]): LogExtent {
  return {
    startOffset,
    endOffset: startOffset + epochs.length,
    epochAt: (offset) => epochs[offset - startOffset],
  };
}

t.test('without a snapshot the log stays as it is', async (t) => {
  t.same(alignLogWithSnapshot(undefined, log(0, [1, 1])), { kind: 'keep' });
});

t.test('a log that holds the snapshot end with its epoch keeps what follows', async (t) => {
  const snapshot = { endOffset: 3, epoch: 2 };
  t.same(alignLogWithSnapshot(snapshot, log(0, [1, 2, 2, 3])), {
    kind: 'deleteBefore', offset: 3,
  });
  t.same(alignLogWithSnapshot(snapshot, log(0, [1, 2, 2])), { kind: 'deleteBefore', offset: 3 });
  t.same(alignLogWithSnapshot(snapshot, log(3, [3, 3])), { kind: 'keep' }, 'already trimmed');
});

t.test('a crash during an install leaves a log that is reset to the snapshot end', async (t) => {
  const snapshot = { endOffset: 8, epoch: 3 };
  t.same(alignLogWithSnapshot(snapshot, log(0, [1, 1, 1])), { kind: 'resetTo', offset: 8 },
    'the log does not reach the snapshot');
  t.same(alignLogWithSnapshot(snapshot, log(0, [1, 1, 1, 2, 2, 2, 2, 2, 2, 2])),
    { kind: 'resetTo', offset: 8 },
    'an older epoch\'s uncommitted tail below the snapshot end (Log Matching fails)');
  t.same(alignLogWithSnapshot(snapshot, log(9, [3])), { kind: 'resetTo', offset: 8 },
    'a log that starts above it');
});
