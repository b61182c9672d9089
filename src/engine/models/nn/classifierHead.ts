// The linear classification head in plain JS, for feature-extraction mode where only the head trains on cached
// pooled vectors: far cheaper than a tfjs round trip for a [batch, hidden] × [hidden, K] product.
import type { ParamStore } from './paramStore';
import { SeededRandom } from '../../seededRandom';

/** Softmax of each row of `logits [n, k]` in place. */
export function softmaxRows(logits: Float32Array, k: number): Float32Array {
  for (let r = 0; r < logits.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logits[r + j] = Math.exp(logits[r + j] - max);
    for (let j = 0; j < k; j++) logits[r + j] /= sum;
  }
  return logits;
}

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
 * Mean cross-entropy of the head on one batch (with inverted dropout on the features), adding `scale ×` its
 * gradient into `grads` (store layout). Returns the mean loss.
 */
export function headLossAndGrads(store: ParamStore, x: Float32Array, labels: Int32Array, dropout: number, seed: number, grads: Float32Array, scale = 1): number {
  const n = labels.length;
  const k = store.get('classifier.bias').length;
  const h = x.length / n;
  const xd = new Float32Array(x);
  if (dropout > 0) {
    const rng = new SeededRandom(seed);
    const scale = 1 / (1 - dropout);
    for (let i = 0; i < xd.length; i++) xd[i] = rng.next() < dropout ? 0 : xd[i] * scale;
  }
  const p = softmaxRows(headLogits(store, xd, n), k);
  let loss = 0;
  const wOff = store.spec('classifier.weight').offset;
  const bOff = store.spec('classifier.bias').offset;
  for (let r = 0; r < n; r++) {
    loss -= Math.log(Math.max(p[r * k + labels[r]], 1e-30));
    p[r * k + labels[r]] -= 1; // dLoss/dLogits = p − onehot
    for (let j = 0; j < k; j++) {
      const g = (p[r * k + j] * scale) / n;
      grads[bOff + j] += g;
      for (let i = 0; i < h; i++) grads[wOff + i * k + j] += xd[r * h + i] * g;
    }
  }
  return loss / n;
}
