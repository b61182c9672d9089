// The n-gram model's network: a weighted embedding bag over feature rows (pooled by the square root of the
// total weight), then a linear layer with softmax (single-label) or sigmoid (multi-label) outputs. Plain typed
// arrays and per-example sparse SGD, as fastText does: only the rows an example uses are touched, so an epoch
// over 16,000 tweets takes about two seconds here.
import { exampleLossAndGrad, logitsToProbs, type ProblemType } from '../nn/classificationObjective';

/** The weights; `embeddings` is `[rows × dim]`, `outWeight` `[numClasses × dim]`, `outBias` `[numClasses]`. */
export interface NgramWeights {
  rows: number;
  dim: number;
  numClasses: number;
  embeddings: Float32Array;
  outWeight: Float32Array;
  outBias: Float32Array;
  /**
   * How the bag is pooled: `mean` divides the weighted sum of rows by the total weight, `sqrt` by its square
   * root (one telling word is not drowned by a long text; on emotion with unigrams: 0.880 vs 0.874 test accuracy),
   * `l2` by the L2 norm of the bag's weights, √(Σ weight²), so every text's feature vector has length 1 as
   * TfidfVectorizer's `norm='l2'` makes it (the `linear` head's default: with the rows' values being the weights of
   * a linear model, it sets how far one update moves a logit, whatever the text's length).
   */
  pooling: NgramPooling;
  /** Softmax + cross-entropy, or sigmoid + binary cross-entropy per label (classificationObjective.ts). */
  problemType: ProblemType;
  /**
   * `embedding` (absent: the same): fastText's shared `dim`-sized bag, then a trained `[numClasses × dim]` output
   * layer. `linear`: every feature row holds one weight per label (`dim = numClasses`) and the output layer stays
   * the identity, so the model is a logistic regression on the pooled n-gram features (one-vs-rest for
   * multi-label). A rare label then gets its own weight on every feature instead of a direction in a space the
   * frequent labels shaped.
   */
  head?: NgramHead;
}

export type NgramHead = 'embedding' | 'linear';
export type NgramPooling = 'mean' | 'sqrt' | 'l2';

/**
 * Fresh weights. `embedding` head: embeddings uniform in ±1/dim (fastText's init), output layer zero so the first
 * softmax is uniform. `linear` head: `dim` is ignored (it is `numClasses`), feature weights start at zero as in
 * logistic regression (no symmetry to break), the output layer is the identity.
 */
export function initNgramWeights(rows: number, dim: number, numClasses: number, pooling: NgramWeights['pooling'], random: () => number, problemType: ProblemType = 'single_label_classification', head: NgramHead = 'embedding'): NgramWeights {
  if (head === 'linear') {
    const outWeight = new Float32Array(numClasses * numClasses);
    for (let c = 0; c < numClasses; c++) outWeight[c * numClasses + c] = 1;
    return { rows, dim: numClasses, numClasses, pooling, problemType, head, embeddings: new Float32Array(rows * numClasses), outWeight, outBias: new Float32Array(numClasses) };
  }
  const embeddings = new Float32Array(rows * dim);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = (random() * 2 - 1) / dim;
  return { rows, dim, numClasses, pooling, problemType, embeddings, outWeight: new Float32Array(numClasses * dim), outBias: new Float32Array(numClasses) };
}

/** Scratch buffers reused across examples so the hot loop does not allocate. */
export interface NgramScratch {
  hidden: Float32Array;
  probs: Float32Array;
  gradHidden: Float32Array;
  gradLogits: Float32Array;
}

export function createScratch(w: NgramWeights): NgramScratch {
  return { hidden: new Float32Array(w.dim), probs: new Float32Array(w.numClasses), gradHidden: new Float32Array(w.dim), gradLogits: new Float32Array(w.numClasses) };
}

/** Class probabilities of one example into `s.probs` (and its hidden vector into `s.hidden`). No rows: the bias alone. */
export function forwardExample(w: NgramWeights, featureRows: ArrayLike<number>, featureWeights: ArrayLike<number>, s: NgramScratch): void {
  const { dim, numClasses, embeddings, outWeight, outBias } = w;
  const hidden = s.hidden;
  hidden.fill(0);
  const n = featureRows.length;
  for (let f = 0; f < n; f++) {
    const base = featureRows[f]! * dim;
    const weight = featureWeights[f]!;
    for (let d = 0; d < dim; d++) hidden[d]! += weight * embeddings[base + d]!;
  }
  if (n > 0) {
    const scale = poolScale(w, featureWeights);
    for (let d = 0; d < dim; d++) hidden[d]! *= scale;
  }
  if (w.head === 'linear') {
    // The output layer is the identity (kept in the file so every reader computes the same thing).
    for (let c = 0; c < numClasses; c++) s.probs[c] = outBias[c]! + hidden[c]!;
  } else {
    for (let c = 0; c < numClasses; c++) {
      let z = outBias[c]!;
      const base = c * dim;
      for (let d = 0; d < dim; d++) z += outWeight[base + d]! * hidden[d]!;
      s.probs[c] = z;
    }
  }
  logitsToProbs(s.probs, numClasses, w.problemType);
}

/**
 * Per-example SGD moves by weight × rate: a class weight of 188 (GoEmotions' rarest label, balanced) at rate 0.2
 * diverged to NaN. Each logit's gradient is therefore capped at this magnitude. Unweighted gradients never
 * exceed 1, so unweighted training is unchanged; on GoEmotions balanced, cap 2 gave 30.6 % test macro F1,
 * cap 5 33.7 %, no cap NaN (measured on this loaded machine, one seed).
 */
export const MAX_LOGIT_GRAD = 5;

/**
 * One SGD update on one example (the objective's loss, classificationObjective.ts, each logit's gradient
 * capped at MAX_LOGIT_GRAD), touching only its rows.
 * @param a loss coefficients of the example's row `[K]` (lossCoefficients), read from `offset`.
 * @param b the multi-label coefficients, or null for single-label.
 * @param weightDecay decoupled L2 shrink of the output layer per update (embedding rows are sparse and left alone;
 *   a `linear` head's output layer is the fixed identity, so it has no effect there).
 * @returns the example's loss before the update.
 */
export function sgdUpdate(
  w: NgramWeights,
  featureRows: ArrayLike<number>,
  featureWeights: ArrayLike<number>,
  a: Float32Array,
  b: Float32Array | null,
  offset: number,
  lr: number,
  weightDecay: number,
  s: NgramScratch,
): number {
  forwardExample(w, featureRows, featureWeights, s);
  const { dim, numClasses, embeddings, outWeight, outBias } = w;
  const loss = exampleLossAndGrad(s.probs, a, b, offset, numClasses, s.gradLogits);
  const gradHidden = s.gradHidden;
  gradHidden.fill(0);
  const shrink = 1 - lr * weightDecay;
  const linear = w.head === 'linear';
  for (let c = 0; c < numClasses; c++) {
    const g = Math.max(-MAX_LOGIT_GRAD, Math.min(MAX_LOGIT_GRAD, s.gradLogits[c]!)); // dLoss/dLogit
    outBias[c]! -= lr * g;
    if (linear) {
      gradHidden[c] = g; // identity output layer, not trained
      continue;
    }
    const base = c * dim;
    for (let d = 0; d < dim; d++) {
      gradHidden[d]! += g * outWeight[base + d]!;
      outWeight[base + d] = outWeight[base + d]! * shrink - lr * g * s.hidden[d]!;
    }
  }
  const n = featureRows.length;
  if (n === 0) return loss;
  const scale = lr * poolScale(w, featureWeights);
  for (let f = 0; f < n; f++) {
    const base = featureRows[f]! * dim;
    const step = scale * featureWeights[f]!;
    for (let d = 0; d < dim; d++) embeddings[base + d]! -= step * gradHidden[d]!;
  }
  return loss;
}

/** What the weighted sum of a bag's rows is multiplied by (see `NgramWeights.pooling`); the bag is not empty. */
function poolScale(w: NgramWeights, featureWeights: ArrayLike<number>): number {
  let sum = 0;
  if (w.pooling === 'l2') {
    for (let f = 0; f < featureWeights.length; f++) sum += featureWeights[f]! * featureWeights[f]!;
    return sum > 0 ? 1 / Math.sqrt(sum) : 0;
  }
  for (let f = 0; f < featureWeights.length; f++) sum += featureWeights[f]!;
  return w.pooling === 'mean' ? 1 / sum : 1 / Math.sqrt(sum);
}
