// The one definition of the classification output and loss every model uses: softmax + cross-entropy for
// single-label data, sigmoid + binary cross-entropy for multi-label data, both with optional class weights
// (and, multi-label, per-label positive weights). Plain JS; the tfjs form of the same loss is in
// classificationLossTf.ts and takes the coefficients built here.

import type { ProblemType } from '../../../common/runFolder/runRecord';

/** Hugging Face's `problem_type` values for sequence classification (`config.json`; run.json records it too). */
export type { ProblemType };

/**
 * What a model optimises, fixed for a run. K = number of labels.
 *
 * Per-example loss, with targets t (one-hot, or multi-hot for multi-label), class weights w (default 1) and
 * positive weights v (multi-label only, default 1):
 * - single-label: −Σ_c w_c t_c log softmax(z)_c  (PyTorch `CrossEntropyLoss(weight=w)` per example);
 * - multi-label: Σ_c w_c [ −v_c t_c log σ(z_c) − (1 − t_c) log(1 − σ(z_c)) ]  (PyTorch
 *   `BCEWithLogitsLoss(weight=w, pos_weight=v)` summed over the labels; its default reduction divides by K too).
 * Batches average the per-example losses.
 */
export interface ClassificationObjective {
  problemType: ProblemType;
  /** `[K]`; absent = all 1. */
  classWeights?: Float32Array;
  /** `[K]`, multi-label only; absent = all 1. */
  posWeights?: Float32Array;
}

export const singleLabelObjective: ClassificationObjective = { problemType: 'single_label_classification' };

/**
 * Per-example loss coefficients of targets `[n × K]`: loss_i = Σ_c a_ic·(−log q_ic) + b_ic·(−log(1 − q_ic)),
 * with q = softmax(z) (single-label, b = 0) or σ(z) (multi-label). Scaled by `scale` (e.g. 1/batch size).
 * Both the JS and the tfjs loss are written in these terms, so the weighting rules live only here.
 */
export function lossCoefficients(
  targets: Float32Array,
  k: number,
  objective: ClassificationObjective,
  scale = 1,
  into?: { a: Float32Array; b: Float32Array | null },
): { a: Float32Array; b: Float32Array | null } {
  const multi = objective.problemType === 'multi_label_classification';
  const a = into?.a ?? new Float32Array(targets.length);
  const b = multi ? (into?.b ?? new Float32Array(targets.length)) : null;
  const w = objective.classWeights;
  const v = multi ? objective.posWeights : undefined;
  for (let i = 0; i < targets.length; i++) {
    const c = i % k;
    const t = targets[i]!;
    const weight = (w ? w[c]! : 1) * scale;
    a[i] = weight * (v ? v[c]! : 1) * t;
    if (b) b[i] = weight * (1 - t);
  }
  return { a, b };
}

/** Turns logits `[n × K]` into probabilities in place: softmax per row, or sigmoid per value. */
export function logitsToProbs(logits: Float32Array, k: number, problemType: ProblemType): Float32Array {
  if (problemType === 'multi_label_classification') {
    for (let i = 0; i < logits.length; i++) logits[i] = sigmoid(logits[i]!);
    return logits;
  }
  for (let r = 0; r < logits.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logits[r + j] = Math.exp(logits[r + j]! - max);
    for (let j = 0; j < k; j++) logits[r + j]! /= sum;
  }
  return logits;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Probabilities are clipped to [MIN_PROB, 1 − MIN_PROB] before a log, so one confident mistake costs a large, finite loss. */
export const MIN_PROB = 1e-12;

/**
 * Loss of one example from its probabilities `q` (`[K]`, from `logitsToProbs`) and coefficients `a`, `b`
 * (from `lossCoefficients`, rows at `offset`), writing dLoss/dlogit into `gradOut` (`[K]`):
 * single-label (Σa)·q_j − a_j; multi-label (a_c + b_c)·q_c − a_c.
 */
export function exampleLossAndGrad(q: ArrayLike<number>, a: Float32Array, b: Float32Array | null, offset: number, k: number, gradOut: Float32Array): number {
  let loss = 0;
  if (b === null) {
    let total = 0;
    for (let c = 0; c < k; c++) {
      const ac = a[offset + c]!;
      total += ac;
      if (ac !== 0) loss -= ac * Math.log(Math.max(q[c]!, MIN_PROB));
    }
    for (let c = 0; c < k; c++) gradOut[c] = total * q[c]! - a[offset + c]!;
    return loss;
  }
  for (let c = 0; c < k; c++) {
    const ac = a[offset + c]!;
    const bc = b[offset + c]!;
    const p = q[c]!;
    if (ac !== 0) loss -= ac * Math.log(Math.max(p, MIN_PROB));
    if (bc !== 0) loss -= bc * Math.log(Math.max(1 - p, MIN_PROB));
    gradOut[c] = (ac + bc) * p - ac;
  }
  return loss;
}

/**
 * Mean loss of probabilities `probs [n × K]` against targets `[n × K]` (evaluation: the validation loss that
 * early stopping watches, in the training loss's units, without weights).
 */
export function meanLoss(probs: Float32Array, targets: Float32Array, k: number, problemType: ProblemType): number {
  const n = targets.length / k;
  if (n === 0) return 0;
  const { a, b } = lossCoefficients(targets, k, { problemType });
  const grad = new Float32Array(k);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += exampleLossAndGrad(probs.subarray(i * k, (i + 1) * k), a, b, i * k, k, grad);
  }
  return sum / n;
}
