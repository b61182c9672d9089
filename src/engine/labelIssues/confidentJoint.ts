// The latent-noise estimates of confident learning (Northcutt, Jiang & Chuang, "Confident Learning:
// Estimating Uncertainty in Dataset Labels", JAIR 2021, §3.1): per-class thresholds, the confident joint
// C[given][true] and its calibration. Vocabulary: N examples, K classes, `given` = the label in the data.
import type { ProbMatrix } from './validate';

export interface ConfidentJoint {
  /** t_j: mean predicted probability of class j over the examples labelled j, length K. */
  thresholds: Float64Array;
  /** Raw counts C[given][true], row-major `[K × K]`. */
  counts: Float64Array;
  /** C calibrated so row g sums to the number of examples labelled g (paper eq. 2), `[K × K]`. */
  calibrated: Float64Array;
  /** Per example, the class it is confidently counted as, or -1 when no class reaches its threshold. */
  confidentClass: Int32Array;
  /** Examples labelled with each class, length K. */
  classCounts: Float64Array;
  numClasses: number;
}

/**
 * Per-class thresholds t_j = mean p_j(x) over x labelled j. A class nobody is labelled with gets
 * threshold 1 + ε so nothing is counted into it (there is no evidence it exists in the labels).
 */
export function computeClassThresholds(labelIds: ArrayLike<number>, predProbs: ProbMatrix): Float64Array {
  const { values, numExamples, numClasses: K } = predProbs;
  const sums = new Float64Array(K);
  const counts = new Float64Array(K);
  for (let i = 0; i < numExamples; i++) {
    const g = labelIds[i];
    sums[g] += values[i * K + g];
    counts[g] += 1;
  }
  const thresholds = new Float64Array(K);
  for (let k = 0; k < K; k++) thresholds[k] = counts[k] > 0 ? sums[k] / counts[k] : 1 + 1e-6;
  return thresholds;
}

/**
 * The confident joint: each example counts into C[given][j*] where j* is the most probable class among those
 * whose probability reaches that class's threshold (ties in the paper's sense: argmax over candidates).
 * Returns raw and calibrated counts plus each example's confident class.
 * @param labelIds given label ids, length N, validated.
 * @param predProbs `[N × K]` out-of-fold probabilities, validated.
 */
export function computeConfidentJoint(labelIds: ArrayLike<number>, predProbs: ProbMatrix): ConfidentJoint {
  const { values, numExamples, numClasses: K } = predProbs;
  const thresholds = computeClassThresholds(labelIds, predProbs);
  const counts = new Float64Array(K * K);
  const classCounts = new Float64Array(K);
  const confidentClass = new Int32Array(numExamples).fill(-1);
  for (let i = 0; i < numExamples; i++) {
    const g = labelIds[i];
    classCounts[g] += 1;
    let best = -1;
    let bestP = -Infinity;
    for (let k = 0; k < K; k++) {
      const p = values[i * K + k];
      // `>=` as in the paper: an example exactly at the threshold is confident.
      if (p >= thresholds[k] && p > bestP) {
        best = k;
        bestP = p;
      }
    }
    confidentClass[i] = best;
    if (best >= 0) counts[g * K + best] += 1;
  }
  return { thresholds, counts, calibrated: calibrateJoint(counts, classCounts, K), confidentClass, classCounts, numClasses: K };
}

/** Scale each row of C so it sums to the count of that given label (examples no class claimed are spread pro rata). */
function calibrateJoint(counts: Float64Array, classCounts: Float64Array, K: number): Float64Array {
  const calibrated = new Float64Array(K * K);
  for (let g = 0; g < K; g++) {
    let rowSum = 0;
    for (let k = 0; k < K; k++) rowSum += counts[g * K + k];
    if (rowSum === 0) {
      // No confident example in this row: assume the labels of this class are right.
      calibrated[g * K + g] = classCounts[g];
      continue;
    }
    for (let k = 0; k < K; k++) calibrated[g * K + k] = (counts[g * K + k] / rowSum) * classCounts[g];
  }
  return calibrated;
}
