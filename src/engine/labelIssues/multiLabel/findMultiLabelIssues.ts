// Which (example, label) decisions of a multi-label dataset are likely wrong: per-label confident learning, as
// cleanlab's multi-label `find_label_issues` does it (cleanlab/multilabel_classification/filter.py): each label is
// its own binary problem (given yes/no against p and 1 − p), so a label that is missing and a label that is wrongly
// given are both issues. N examples, K labels. The binary confident joint is computed here (see `binaryJoint`)
// because per-label sigmoid outputs need a threshold rule the single-label one does not (Northcutt et al. 2021).
import { validateFracNoise, type ProbMatrix } from '../validate';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/**
 * How each label's decisions are selected:
 * - `pruneByNoiseRate` (default, cleanlab's): per label and side, the round(fracNoise × C̃[given][other]) examples
 *   with the largest margin p(other) − p(given); with two sides this is also prune-by-class.
 * - `confidentLearning`: every example whose confident side is not its given side (ignores fracNoise).
 * - `predictedNeqGiven`: p ≥ 0.5 disagrees with the given decision (a loose baseline; ignores fracNoise).
 */
export type MultiLabelFilterBy = 'pruneByNoiseRate' | 'confidentLearning' | 'predictedNeqGiven';
export const multiLabelFilterRules: readonly MultiLabelFilterBy[] = ['pruneByNoiseRate', 'confidentLearning', 'predictedNeqGiven'];

export interface FindMultiLabelIssuesOptions {
  /** Selection rule; leave the default unless you know why (see `MultiLabelFilterBy`). */
  filterBy?: MultiLabelFilterBy;
  /**
   * Share of each label's estimated wrong decisions to flag, in (0, 1]. Default 1, as cleanlab's multi-label
   * default: per label the estimates are small counts, and halving them (the single-label default 0.5) rounds a
   * label's one or two errors down to none or one; on GoEmotions with 5 % of decisions changed, 0.5 cut recall
   * from 0.48 to 0.32 for a precision gain of 0.008 (bench:multilabel-issues).
   */
  fracNoise?: number;
}

/** One likely wrong label decision. */
export interface MultiLabelIssueCandidate {
  /** Row index into the inputs. */
  index: number;
  /** Label id the decision is about. */
  label: number;
  /** `add`: the label is not given but the model is confident it applies; `remove`: given, but the model says no. */
  action: 'add' | 'remove';
  /** Out-of-fold probability of the label (sigmoid output). */
  labelProbability: number;
  /** Probability of the given decision: 1 − p for a missing label, p for a given one (lower = more suspicious). */
  selfConfidence: number;
}

/** One label's binary problem: given side (0/1) and p(label) per example. */
interface BinaryLabel {
  given: Uint8Array;
  p: Float64Array;
}

/**
 * The most a side's confident threshold can be. Uncapped, a well-fitted sigmoid puts the mean near 1 (0.97–0.99
 * on the keyword dataset of test/integration/multiLabelIssues.test.ts), and then a line the model gives 0.97 to
 * the other side still misses the threshold: none of the four planted errors was counted there. On GoEmotions with
 * 5 % of decisions changed (bench:multilabel-issues, seed 1), cap 0.9 vs none: recall 0.54 vs 0.43, precision
 * 0.033 vs 0.040, the same precision in the top 100 (0.26); cap 0.5 flags every disagreement (recall 0.56,
 * precision 0.027).
 */
const confidentThresholdCap = 0.9;

/**
 * The 2×2 confident joint of one label. Side s's threshold is the mean probability of s over the examples given s
 * (the paper's t_j), at most `confidentThresholdCap`; rare labels keep their lower threshold (the reason for
 * per-class thresholds). Rows are calibrated to the given counts (paper eq. 2).
 * @returns confident side per example (−1 when neither reaches its threshold) and C̃[given][side] as [c00, c01, c10, c11].
 */
function binaryJoint({ given, p }: BinaryLabel): { confident: Int8Array; calibrated: Float64Array } {
  const n = given.length;
  const sum = [0, 0];
  const count = [0, 0];
  for (let i = 0; i < n; i++) { const g = given[i]; sum[g] += g ? p[i] : 1 - p[i]; count[g]++; }
  const threshold = [0, 1].map((s) => Math.min(confidentThresholdCap, count[s] ? sum[s] / count[s] : 1 + 1e-6));
  const counts = new Float64Array(4);
  const confident = new Int8Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const probs = [1 - p[i], p[i]];
    let best = -1;
    for (const s of [0, 1]) if (probs[s] >= threshold[s] && (best < 0 || probs[s] > probs[best])) best = s;
    confident[i] = best;
    if (best >= 0) counts[given[i] * 2 + best]++;
  }
  const calibrated = new Float64Array(4);
  for (const g of [0, 1]) {
    const row = counts[g * 2] + counts[g * 2 + 1];
    for (const s of [0, 1]) calibrated[g * 2 + s] = row > 0 ? (counts[g * 2 + s] / row) * count[g] : 0;
  }
  return { confident, calibrated };
}

type BinaryFilter = (label: BinaryLabel, fracNoise: number) => number[];

const filters: Record<MultiLabelFilterBy, BinaryFilter> = {
  pruneByNoiseRate: (label, fracNoise) => {
    const { calibrated } = binaryJoint(label);
    const out: number[] = [];
    for (const g of [0, 1]) {
      const take = Math.round(fracNoise * calibrated[g * 2 + (1 - g)]);
      if (take <= 0) continue;
      // Margin p(other) − p(given): 1 − 2p for a given label, 2p − 1 for a label not given.
      const margin = (i: number) => (g ? 1 - 2 * label.p[i] : 2 * label.p[i] - 1);
      const members = [...label.given.keys()].filter((i) => label.given[i] === g).sort((a, b) => margin(b) - margin(a) || a - b);
      out.push(...members.slice(0, take));
    }
    return out;
  },
  confidentLearning: (label) => {
    const { confident } = binaryJoint(label);
    return [...label.given.keys()].filter((i) => confident[i] >= 0 && confident[i] !== label.given[i]);
  },
  predictedNeqGiven: (label) => [...label.given.keys()].filter((i) => (label.p[i] >= 0.5 ? 1 : 0) !== label.given[i]),
};

/**
 * Returns the likely wrong label decisions, most suspicious first (lowest `selfConfidence`; ties by example, label).
 * Like cleanlab, a decision the model agrees with (p ≥ 0.5 on the given side) is never an issue.
 * @param given multi-hot given labels, row-major `[N × K]`, 1 = the label is in the example's list.
 * @param predProbs `[N × K]` per-label probabilities (sigmoid outputs; rows need not sum to 1). Use out-of-fold
 *   probabilities: a model that trained on an example has memorised its labels.
 * @param options `{ filterBy = 'pruneByNoiseRate', fracNoise = 1 }`.
 * @throws EngineError(invalidOption) when the shapes disagree, a value is not 0/1 or not a probability, filterBy is
 *   unknown, or fracNoise is out of (0, 1].
 * Use it when you already have probabilities; `detectMultiLabelIssues` does the whole job for a dataset file.
 */
export function findMultiLabelIssues(given: ArrayLike<number>, predProbs: ProbMatrix, options: FindMultiLabelIssuesOptions = {}): MultiLabelIssueCandidate[] {
  const { filterBy = 'pruneByNoiseRate', fracNoise = 1 } = options;
  const { values, numExamples: N, numClasses: K } = predProbs;
  validateFracNoise(fracNoise);
  const bad = (detail: string): never => { throw new EngineError(EngineErrorCodes.invalidOption, detail); };
  if (!Object.hasOwn(filters, filterBy)) bad(`filterBy for multi-label data must be one of ${multiLabelFilterRules.join(', ')}, got ${filterBy}.`);
  if (!Number.isInteger(K) || K < 1) bad(`predProbs.numClasses must be an integer ≥ 1, got ${K}.`);
  if (values.length !== N * K) bad(`predProbs.values must hold numExamples × numClasses = ${N * K} numbers, got ${values.length}.`);
  if (given.length !== N * K) bad(`given must hold numExamples × numClasses = ${N * K} 0/1 values, got ${given.length}.`);
  for (let j = 0; j < N * K; j++) {
    if (given[j] !== 0 && given[j] !== 1) bad(`given[${Math.floor(j / K)}][${j % K}] must be 0 or 1, got ${given[j]}.`);
    if (!(values[j] >= 0 && values[j] <= 1)) bad(`predProbs[${Math.floor(j / K)}][${j % K}] must be a probability in [0, 1], got ${values[j]}.`);
  }
  const out: MultiLabelIssueCandidate[] = [];
  for (let label = 0; label < K; label++) {
    const binary: BinaryLabel = { given: new Uint8Array(N), p: new Float64Array(N) };
    let positives = 0;
    for (let i = 0; i < N; i++) {
      binary.given[i] = given[i * K + label];
      binary.p[i] = values[i * K + label];
      positives += binary.given[i];
    }
    // A label no line carries (or every line carries) has no other side to be confused with.
    if (positives === 0 || positives === N) continue;
    for (const i of new Set(filters[filterBy](binary, fracNoise))) {
      const p = binary.p[i];
      const action = binary.given[i] ? 'remove' : 'add';
      const selfConfidence = action === 'add' ? 1 - p : p;
      if (selfConfidence >= 0.5) continue;
      out.push({ index: i, label, action, labelProbability: p, selfConfidence });
    }
  }
  return out.sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index || a.label - b.label);
}
