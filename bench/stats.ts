/** Latency samples and the Kafka perf-tool style summary line built from them. */
export interface LatencySummary {
  count: number; avgMs: number; maxMs: number;
  p50Ms: number; p95Ms: number; p99Ms: number; p999Ms: number;
}

export class LatencyRecorder {
  #samples: number[] = [];
  #sum = 0;

  record(ms: number): void {
    this.#samples.push(ms);
    this.#sum += ms;
  }

  get count(): number {
    return this.#samples.length;
  }

  summary(): LatencySummary {
    const sorted = Float64Array.from(this.#samples).sort();
    const at = (q: number): number =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      count: sorted.length,
      avgMs: sorted.length === 0 ? 0 : this.#sum / sorted.length,
      maxMs: sorted[sorted.length - 1] ?? 0,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      p999Ms: at(0.999),
    };
  }
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
