// Streaming length statistics: exact counts per length up to a cap (so percentiles are exact for realistic
// texts) in one typed array, turned into a compact histogram at the end.
import type { LengthHistogram } from '../../protocol/dataset';

const exactUpTo = 65_536;
const binCount = 20;

export class LengthStats {
  private readonly perLength = new Uint32Array(exactUpTo + 1);
  private n = 0;
  private sum = 0;
  private minValue = Infinity;
  private maxValue = 0;

  /** Records one length (non-negative integer). */
  add(length: number): void {
    this.perLength[length < exactUpTo ? length : exactUpTo]++;
    this.n++;
    this.sum += length;
    if (length < this.minValue) this.minValue = length;
    if (length > this.maxValue) this.maxValue = length;
  }

  get count(): number {
    return this.n;
  }

  /**
   * A histogram of `binCount` equal-width bins from 0 to the 99th percentile (rounded up to a round width),
   * the last bin holding everything longer, plus min/max/mean and exact percentiles (capped at 65536).
   */
  toHistogram(): LengthHistogram {
    if (this.n === 0) return { edges: [0, 1], counts: [0], min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
    const p99 = this.percentile(0.99);
    const width = roundWidth(Math.max(1, Math.ceil((p99 + 1) / binCount)));
    const bins = Math.min(binCount, Math.floor(this.maxValue / width) + 1);
    const counts = new Array<number>(bins).fill(0);
    for (let len = 0; len <= exactUpTo; len++) {
      const c = this.perLength[len];
      if (c !== 0) counts[Math.min(bins - 1, Math.floor(len / width))] += c;
    }
    const edges = Array.from({ length: bins + 1 }, (_, i) => i * width);
    edges[bins] = Math.max(edges[bins], this.maxValue + 1);
    return {
      edges,
      counts,
      min: this.minValue,
      max: this.maxValue,
      mean: this.sum / this.n,
      p50: this.percentile(0.5),
      p95: this.percentile(0.95),
      p99,
    };
  }

  /**
   * How many values exceed `limit`, and by how much in total (exact up to 65536; above it each value counts at the
   * cap, so the total is then a lower bound).
   */
  excessOver(limit: number): { count: number; excess: number } {
    let count = 0;
    let excess = 0;
    for (let len = limit + 1; len <= exactUpTo; len++) {
      const c = this.perLength[len];
      if (c !== 0) {
        count += c;
        excess += c * (len - limit);
      }
    }
    return { count, excess };
  }

  /** Smallest length L such that at least fraction q of the values are <= L. */
  private percentile(q: number): number {
    const target = Math.ceil(q * this.n);
    let seen = 0;
    for (let len = 0; len <= exactUpTo; len++) {
      seen += this.perLength[len];
      if (seen >= target) return len === exactUpTo ? this.maxValue : len;
    }
    return this.maxValue;
  }
}

/** 1, 2, 5, 10, 20, 50, ... at or above `w`, so bin edges read well. */
function roundWidth(w: number): number {
  let base = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (base * m >= w) return base * m;
    base *= 10;
  }
}
