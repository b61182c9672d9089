// The linear classification head in plain JS, for feature-extraction mode where only the head trains on cached
// pooled vectors: far cheaper than a tfjs round trip for a [batch, hidden] × [hidden, K] product.
import type { ParamStore } from './paramStore';
import { SeededRandom } from '../../seededRandom';
import { exampleLossAndGrad, logitsToProbs } from './classificationObjective';

/** Logits `[n, k]` of features `x [n, h]` through `classifier.{weight [h,k], bias [k]}`. */
export function headLogits(store: ParamStore, x: Float32Array, n: number): Float32Array {
  const w = store.get('classifier.weight');
  const b = store.get('classifier.bias');
  const k = b.length;
  const h = w.length / k;
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = b[j];
    for (let i = 0; i < h; i++) {
      const xi = x[r * h + i];
      if (xi === 0) continue;
      const wo = i * k;
      for (let j = 0; j < k; j++) out[r * k + j] += xi * w[wo + j];
    }
  }
  return out;
}

/**
 * Loss of the head on one batch (classificationObjective.ts, with the batch's coefficients already scaled, e.g.
 * by 1 / samples of the step), with inverted dropout on the features, adding its gradient into `grads` (store
 * layout). Returns the loss.
 */
export function headLossAndGrads(store: ParamStore, x: Float32Array, loss: { lossA: Float32Array; lossB: Float32Array | null }, dropout: number, seed: number, grads: Float32Array): number {
  const k = store.get('classifier.bias').length;
  const n = loss.lossA.length / k;
  const h = x.length / n;
  const xd = new Float32Array(x);
  if (dropout > 0) {
    const rng = new SeededRandom(seed);
    const scale = 1 / (1 - dropout);
    for (let i = 0; i < xd.length; i++) xd[i] = rng.next() < dropout ? 0 : xd[i] * scale;
  }
  const problemType = loss.lossB ? 'multi_label_classification' : 'single_label_classification';
  const p = logitsToProbs(headLogits(store, xd, n), k, problemType);
  let total = 0;
  const wOff = store.spec('classifier.weight').offset;
  const bOff = store.spec('classifier.bias').offset;
  const g = new Float32Array(k);
  for (let r = 0; r < n; r++) {
    total += exampleLossAndGrad(p.subarray(r * k, (r + 1) * k), loss.lossA, loss.lossB, r * k, k, g);
    for (let j = 0; j < k; j++) {
      grads[bOff + j] += g[j];
      for (let i = 0; i < h; i++) grads[wOff + i * k + j] += xd[r * h + i] * g[j];
    }
  }
  return total;
}
