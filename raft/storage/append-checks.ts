/**
 * The preconditions of LogStore.append, shared by the file store and its in-memory twin so that
 * the simulator trips on exactly what production would. A violation is a bug of the caller.
 */
import { assert } from '../../lib/assert.js';
import { EntryKind, type Epoch, type LogEntry, type Offset } from '../core/types.js';
import { entriesFrameBytes } from './batch-codec.js';
import { EPOCH_MAX, type LogStoreLimits } from './limits.js';

const KNOWN_KINDS: ReadonlySet<number> = new Set(Object.values(EntryKind));

/** Asserts that `entries` may follow the log; returns the size of their frame in bytes. */
export function checkAppend(
  entries: readonly LogEntry[],
  endOffset: Offset,
  lastEpoch: Epoch | undefined,
  limits: LogStoreLimits,
): number {
  assert(
    entries.length <= limits.batchEntriesMax,
    `append of ${entries.length} entries exceeds batchEntriesMax ${limits.batchEntriesMax}`,
  );
  let previousEpoch = lastEpoch;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    assert(
      entry.offset === endOffset + i,
      `append expected offset ${endOffset + i}, got ${entry.offset}`,
    );
    assert(
      Number.isInteger(entry.epoch) && entry.epoch >= 0 && entry.epoch <= EPOCH_MAX,
      `bad epoch ${entry.epoch} at offset ${entry.offset}`,
    );
    // Invariant: epochs never decrease along a log. A leader appends in its own epoch and a
    // follower copies a leader's log, whose epochs only grow (Raft §5.3).
    assert(
      previousEpoch === undefined || entry.epoch >= previousEpoch,
      `epoch ${entry.epoch} at offset ${entry.offset} is below the previous epoch ${previousEpoch}`,
    );
    assert(KNOWN_KINDS.has(entry.kind), `unknown entry kind ${entry.kind}`);
    assert(entry.data instanceof Uint8Array, `entry ${entry.offset} data is not a Uint8Array`);
    previousEpoch = entry.epoch;
  }
  const frameBytes = entriesFrameBytes(entries);
  assert(
    frameBytes <= limits.batchBytesMax,
    `append of ${frameBytes} bytes exceeds batchBytesMax ${limits.batchBytesMax}`,
  );
  return frameBytes;
}
