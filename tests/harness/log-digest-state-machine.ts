/**
 * A state machine that only remembers how many data entries it applied and a rolling CRC-32C
 * over them. The controller runs it until the metadata controller replaces it; tests and the
 * Raft benchmark use it to check that every node applied the same entries in the same order.
 */
import { crc32c } from '../../lib/crc32c.js';
import { EntryKind, type LogEntry, type SnapshotId } from '../../raft/core/types.js';
import type { StateMachine } from '../../raft/state-machine.js';

export interface LogDigest {
  readonly appliedCount: number;
  readonly appliedEndOffset: number;
  readonly crc: number;
}

export class LogDigestStateMachine implements StateMachine {
  #count = 0;
  #endOffset = 0;
  #crc = 0;

  apply(entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      this.#endOffset = entry.offset + 1;
      if (entry.kind !== EntryKind.data) continue;
      this.#count++;
      this.#crc = crc32c(entry.data, this.#crc);
    }
  }

  snapshot(): Uint8Array {
    const bytes = Buffer.alloc(20);
    bytes.writeDoubleBE(this.#count, 0);
    bytes.writeDoubleBE(this.#endOffset, 8);
    bytes.writeUInt32BE(this.#crc, 16);
    return bytes;
  }

  restore(id: SnapshotId, bytes: Uint8Array): void {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#count = view.readDoubleBE(0);
    this.#endOffset = Math.max(view.readDoubleBE(8), id.endOffset);
    this.#crc = view.readUInt32BE(16);
  }

  digest(): LogDigest {
    return { appliedCount: this.#count, appliedEndOffset: this.#endOffset, crc: this.#crc };
  }
}
