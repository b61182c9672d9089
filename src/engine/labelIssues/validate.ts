// Up-front checks of findLabelIssues' inputs, so a bad matrix fails with a message naming the field,
// the expected and the actual value instead of producing a silently wrong ranking (cleanlab's internal/validation).
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** Predicted probabilities of N examples over K classes, row-major `[N × K]`. */
export interface ProbMatrix {
  /** Row-major `[numExamples × numClasses]`; each row sums to ~1. */
  readonly values: ArrayLike<number>;
  readonly numExamples: number;
  readonly numClasses: number;
}

/** Rows may drift from 1 by float32 rounding and softmax; beyond this they are not probabilities. */
const rowSumTolerance = 1e-3;

/**
 * Throws `EngineError(invalidOption)` unless `labelIds` and `predProbs` describe the same N examples,
 * every label id is in `[0, K)`, every probability is finite and in [0, 1], and every row sums to 1.
 * @param labelIds given label id per example, length N.
 * @param predProbs `[N × K]` predicted probabilities (out-of-fold for meaningful results).
 */
export function validateLabelIssueInputs(labelIds: ArrayLike<number>, predProbs: ProbMatrix): void {
  const { values, numExamples, numClasses } = predProbs;
  const bad = (detail: string): never => {
    throw new EngineError(EngineErrorCodes.invalidOption, detail);
  };
  if (!Number.isInteger(numClasses) || numClasses < 2) bad(`predProbs.numClasses must be an integer ≥ 2, got ${numClasses}.`);
  if (!Number.isInteger(numExamples) || numExamples < 0) bad(`predProbs.numExamples must be a non-negative integer, got ${numExamples}.`);
  if (values.length !== numExamples * numClasses) {
    bad(`predProbs.values must hold numExamples × numClasses = ${numExamples * numClasses} numbers, got ${values.length}.`);
  }
  if (labelIds.length !== numExamples) bad(`labelIds must have one id per example (${numExamples}), got ${labelIds.length}.`);
  for (let i = 0; i < numExamples; i++) {
    const y = labelIds[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) bad(`labelIds[${i}] must be an integer in [0, ${numClasses}), got ${y}.`);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) {
      const p = values[i * numClasses + k];
      if (!Number.isFinite(p) || p < 0 || p > 1 + rowSumTolerance) bad(`predProbs[${i}][${k}] must be a probability in [0, 1], got ${p}.`);
      sum += p;
    }
    if (Math.abs(sum - 1) > rowSumTolerance) bad(`predProbs row ${i} must sum to 1, got ${sum.toFixed(4)}.`);
  }
}

/** Throws `EngineError(invalidOption)` unless `fracNoise` is in (0, 1]. */
export function validateFracNoise(fracNoise: number): void {
  if (!(fracNoise > 0 && fracNoise <= 1)) throw new EngineError(EngineErrorCodes.invalidOption, `fracNoise must be in (0, 1], got ${fracNoise}.`);
}
