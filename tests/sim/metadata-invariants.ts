/**
 * Invariants of the metadata images the simulated controllers build (metadata-simulation.ts),
 * checked whenever a node applies an entry or loads a snapshot:
 *  - PartitionImage      leader is -1 or in the ISR; the ISR is a non-empty subset of the
 *                        replicas, without duplicates (image-types.ts);
 *  - MonotonicEpochs     on one node (one incarnation: a restart may reload an older
 *                        snapshot), a partition's leaderEpoch and partitionEpoch never
 *                        decrease;
 *  - OneLeaderPerEpoch   for every (topicId, partitionId, leaderEpoch) ever seen in any node's
 *                        committed image, one leader id (-1 included), across all nodes;
 *  - SameProvenance      nodes that applied the same log prefix have the same provenance
 *                        (the image hash itself is compared by invariants.ts, Determinism).
 *                        Control entries count: a snapshot taken at a LeaderChange entry and a
 *                        replay of the log both end there (seed 8 once showed the difference).
 */
import type { MetadataImage, Provenance } from '../../metadata/index.js';
import type { NodeId, Offset } from '../../raft/core/types.js';
import { InvariantViolation } from './invariants.js';

function violated(rule: string, detail: string): never {
  throw new InvariantViolation(`${rule}: ${detail}`);
}

interface NodeEpochs {
  readonly incarnation: number;
  readonly partitions: Map<string, { leaderEpoch: number; partitionEpoch: number }>;
}

export class MetadataInvariants {
  readonly #leaders = new Map<string, number>();
  readonly #nodes = new Map<NodeId, NodeEpochs>();
  readonly #provenance = new Map<Offset, Provenance>();
  /** The last image checked per node: an image is immutable, so it is checked once. */
  readonly #checked = new Map<NodeId, MetadataImage>();

  get leaderEpochsSeen(): number {
    return this.#leaders.size;
  }

  equivalent(a: Provenance, b: Provenance): boolean {
    return a.offset === b.offset && a.epoch === b.epoch;
  }

  check(nodeId: NodeId, incarnation: number, appliedOffset: Offset, image: MetadataImage): void {
    const known = this.#provenance.get(appliedOffset);
    if (known === undefined) this.#provenance.set(appliedOffset, image.provenance);
    else if (!this.equivalent(known, image.provenance)) {
      violated(
        'SameProvenance',
        `node ${nodeId} applied up to ${appliedOffset} has provenance ` +
          `${image.provenance.offset}@${image.provenance.epoch}, another node ` +
          `${known.offset}@${known.epoch}`,
      );
    }
    let epochs = this.#nodes.get(nodeId);
    if (epochs === undefined || epochs.incarnation !== incarnation) {
      epochs = { incarnation, partitions: new Map() };
      this.#nodes.set(nodeId, epochs);
      this.#checked.delete(nodeId);
    }
    if (this.#checked.get(nodeId) === image) return;
    this.#checked.set(nodeId, image);
    for (const topic of image.topics.byId.values()) {
      topic.partitions.forEach((p, partitionId) => {
        const name = `${topic.name}-${partitionId} (${topic.topicId}) on node ${nodeId}`;
        const isr = new Set(p.isr);
        const subset = p.isr.every((r) => p.replicas.includes(r));
        if (isr.size === 0 || isr.size !== p.isr.length || !subset)
          violated('PartitionImage', `${name}: ISR [${p.isr}] of replicas [${p.replicas}]`);
        if (p.leader !== -1 && !isr.has(p.leader))
          violated('PartitionImage', `${name}: leader ${p.leader} not in ISR [${p.isr}]`);
        const key = `${topic.topicId}:${partitionId}`;
        const previous = epochs.partitions.get(key);
        if (
          previous !== undefined &&
          (p.leaderEpoch < previous.leaderEpoch || p.partitionEpoch < previous.partitionEpoch)
        ) {
          violated(
            'MonotonicEpochs',
            `${name}: epochs ${previous.leaderEpoch}/${previous.partitionEpoch} -> ` +
              `${p.leaderEpoch}/${p.partitionEpoch}`,
          );
        }
        const { leaderEpoch, partitionEpoch } = p;
        epochs.partitions.set(key, { leaderEpoch, partitionEpoch });
        const epochKey = `${key}:${p.leaderEpoch}`;
        const leader = this.#leaders.get(epochKey);
        if (leader === undefined) this.#leaders.set(epochKey, p.leader);
        else if (leader !== p.leader) {
          violated(
            'OneLeaderPerEpoch',
            `${name}: leader epoch ${p.leaderEpoch} has leaders ${leader} and ${p.leader}`,
          );
        }
      });
    }
  }
}
