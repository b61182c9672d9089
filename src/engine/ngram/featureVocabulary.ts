import type { NgramFeatures } from './ngramFeatures';
// Maps hashed feature buckets to embedding rows. Only buckets seen in training get a row, so the model is
// as large as the training data needs, not as large as the hash space; unseen buckets are ignored.

export class FeatureVocabulary {
  private readonly rowOf = new Map<number, number>();

  /** @param buckets the bucket id of each row, in row order (bucket ids are below 2^31, so Int32 holds them). */
  constructor(readonly buckets: Int32Array) {
    for (let r = 0; r < buckets.length; r++) this.rowOf.set(buckets[r]!, r);
  }

  /** Rows for every bucket in `featureSets` that occurs at least `minCount` times, in order of first use. */
  static build(featureSets: readonly NgramFeatures[], minCount = 1): FeatureVocabulary {
    const counts = new Map<number, number>();
    for (const set of featureSets) for (const b of set.ids) counts.set(b, (counts.get(b) ?? 0) + 1);
    const kept: number[] = [];
    for (const [b, c] of counts) if (c >= minCount) kept.push(b);
    return new FeatureVocabulary(Int32Array.from(kept));
  }

  get size(): number {
    return this.buckets.length;
  }

  /** Rows and weights of the known buckets of one text's features (unknown buckets are dropped). */
  rowsOf(features: NgramFeatures): { rows: Int32Array; weights: Float32Array } {
    const rows: number[] = [];
    const weights: number[] = [];
    for (let f = 0; f < features.ids.length; f++) {
      const r = this.rowOf.get(features.ids[f]!);
      if (r !== undefined) {
        rows.push(r);
        weights.push(features.weights[f]!);
      }
    }
    return { rows: Int32Array.from(rows), weights: Float32Array.from(weights) };
  }
}
