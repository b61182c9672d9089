// Maps hashed feature buckets to embedding rows. Only buckets seen in training get a row, so the model is
// as large as the training data needs, not as large as the hash space; unseen buckets are ignored.
import type { NgramFeatures } from './ngramFeatures';
import { BucketRowTable } from './bucketRowTable';

export class FeatureVocabulary {
  private readonly rowOf: BucketRowTable;

  /**
   * @param buckets the bucket id of each row, in row order (bucket ids are below 2^31, so Int32 holds them).
   * @param idf optional `[rows]` inverse document frequency of each row; `rowsOf` multiplies feature weights by it.
   */
  constructor(readonly buckets: Int32Array, readonly idf?: Float32Array) {
    if (idf && idf.length !== buckets.length) throw new Error(`FeatureVocabulary: ${idf.length} idf values for ${buckets.length} rows`);
    this.rowOf = new BucketRowTable(buckets.length);
    for (let r = 0; r < buckets.length; r++) this.rowOf.set(buckets[r]!, r);
  }

  /** Rows for every bucket in `featureSets` that occurs at least `minCount` times, in order of first use. */
  static build(featureSets: readonly NgramFeatures[], minCount = 1): FeatureVocabulary {
    const counts = new BucketRowTable(1 << 16);
    const order: number[] = [];
    for (const set of featureSets) {
      for (const b of set.ids) {
        const c = counts.get(b);
        if (c === -1) order.push(b);
        counts.set(b, c === -1 ? 1 : c + 1);
      }
    }
    return new FeatureVocabulary(Int32Array.from(minCount <= 1 ? order : order.filter((b) => counts.get(b) >= minCount)));
  }

  /**
   * The same rows weighted by scikit-learn's smoothed idf, ln((1 + n) / (1 + df)) + 1, where df is the number of
   * `featureSets` (documents) that use the row: a word every text has weighs about 1, a word of one text in a
   * thousand about 7.9 (TfidfVectorizer's default `smooth_idf=True`).
   */
  withIdf(featureSets: readonly NgramFeatures[]): FeatureVocabulary {
    const df = new Float64Array(this.size);
    const lastDocument = new Int32Array(this.size).fill(-1);
    featureSets.forEach((set, d) => {
      for (const b of set.ids) {
        const r = this.rowOf.get(b);
        if (r !== -1 && lastDocument[r] !== d) {
          lastDocument[r] = d;
          df[r]++;
        }
      }
    });
    const n = featureSets.length;
    return new FeatureVocabulary(this.buckets, Float32Array.from(df, (f) => Math.log((1 + n) / (1 + f)) + 1));
  }

  get size(): number {
    return this.buckets.length;
  }

  /** Rows and weights (times the row's idf, when there is one) of the known buckets of one text's features (unknown buckets are dropped). */
  rowsOf(features: NgramFeatures): { rows: Int32Array; weights: Float32Array } {
    const rows = new Int32Array(features.ids.length);
    const weights = new Float32Array(features.ids.length);
    let n = 0;
    for (let f = 0; f < features.ids.length; f++) {
      const r = this.rowOf.get(features.ids[f]!);
      if (r !== -1) {
        rows[n] = r;
        weights[n++] = this.idf ? features.weights[f]! * this.idf[r]! : features.weights[f]!;
      }
    }
    return { rows: rows.subarray(0, n), weights: weights.subarray(0, n) };
  }
}
