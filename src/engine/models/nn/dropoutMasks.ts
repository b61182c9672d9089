// Dropout with masks drawn from our own seeded generator, so a step's randomness depends only on
// (seed, step, shard) — reproducible across runs, resumes and worker counts.
import * as tf from '@tensorflow/tfjs-core';
import { mixSeed, SeededRandom } from '../../seededRandom';

export class DropoutMasks {
  private readonly rng: SeededRandom;

  constructor(private readonly seed: number) {
    this.rng = new SeededRandom(seed);
  }

  /**
   * An independent mask stream for part `k` of the network (the embeddings, one encoder layer, the head): a
   * part's masks then do not depend on what ran before it, so a layer recomputed in the backward pass
   * (layer-wise gradients, bertCompute.ts) draws exactly the masks of its forward pass.
   */
  stream(k: number): DropoutMasks {
    return new DropoutMasks(mixSeed(this.seed, k));
  }

  /** `x` with each element zeroed with probability `p` and the rest scaled by 1/(1−p) (inverted dropout). */
  apply<T extends tf.Tensor>(x: T, p: number): T {
    if (p <= 0) return x;
    const n = x.size;
    const mask = new Float32Array(n);
    const keep = 1 - p;
    this.rng.fillBernoulli(mask, keep, 1 / keep);
    return tf.mul(x, tf.tensor(mask, x.shape)) as T;
  }
}
