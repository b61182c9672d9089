// Dropout with masks drawn from our own seeded generator, so a step's randomness depends only on
// (seed, step, shard) — reproducible across runs, resumes and worker counts.
import * as tf from '@tensorflow/tfjs-core';
import { mixSeed, SeededRandom } from '../../seededRandom';
import { filledFloatTensor } from '../../backend/wasmKernels';

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
    // The keep probability the generator realises (a multiple of 2⁻¹⁶): scaling by its inverse keeps E[mask] = 1.
    const keep = SeededRandom.bernoulliProbability(1 - p);
    if (keep === 0) return tf.zerosLike(x);
    const mask = filledFloatTensor(x.shape, (values) => this.rng.fillBernoulli(values, keep, 1 / keep));
    return tf.mul(x, mask) as T;
  }
}
