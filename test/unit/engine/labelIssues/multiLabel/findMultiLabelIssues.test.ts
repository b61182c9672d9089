// Per-label confident learning on hand-made probabilities: a missing label and a wrongly given one are both found,
// with the right action, ranked by the probability of the given decision; bad inputs name what is wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findMultiLabelIssues } from '../../../../../src/engine/labelIssues/multiLabel/findMultiLabelIssues';
import { mulberry32 } from '../../../../../src/engine/seededRandom';

/**
 * N examples over K = 3 labels whose probabilities follow the given labels (p ≈ 0.9 given, 0.05 not), except the
 * planted rows: `missing` lacks label 0 but p0 = `missingP`; `extra` carries label 1 but p1 = `extraP`.
 */
function planted(n: number, missing: number, extra: number, missingP = 0.97, extraP = 0.02) {
  const K = 3;
  const random = mulberry32(5);
  const given = new Uint8Array(n * K);
  const values = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      given[i * K + k] = random() < 0.35 ? 1 : 0;
      values[i * K + k] = given[i * K + k] ? 0.8 + 0.15 * random() : 0.02 + 0.1 * random();
    }
  }
  given[missing * K] = 0;
  values[missing * K] = missingP;
  given[extra * K + 1] = 1;
  values[extra * K + 1] = extraP;
  return { given, predProbs: { values, numExamples: n, numClasses: K } };
}

describe('findMultiLabelIssues', () => {
  it('flags a missing label (add) and a wrong given label (remove), and nothing the model agrees with', () => {
    const { given, predProbs } = planted(60, 7, 31);
    const issues = findMultiLabelIssues(given, predProbs, { filterBy: 'confidentLearning' });
    assert.deepEqual(issues.map((i) => [i.index, i.label, i.action]).sort(), [[31, 1, 'remove'], [7, 0, 'add']].sort());
    const add = issues.find((i) => i.action === 'add')!;
    assert.ok(Math.abs(add.labelProbability - 0.97) < 1e-12 && Math.abs(add.selfConfidence - 0.03) < 1e-12);
    const remove = issues.find((i) => i.action === 'remove')!;
    assert.ok(Math.abs(remove.selfConfidence - 0.02) < 1e-12);
  });

  it('counts a saturated model\'s clear disagreements: the confident threshold of a side is at most 0.5', () => {
    // Every other decision is near 0 or 1, so the mean-probability thresholds would be ≈ 0.9+: the planted
    // rows (0.9 for a label not given, 0.08 for a given one) would reach neither and never be counted.
    const { given, predProbs } = planted(100, 12, 57, 0.9, 0.08);
    const values = predProbs.values;
    for (let j = 0; j < values.length; j++) if (j !== 12 * 3 && j !== 57 * 3 + 1) values[j] = given[j] ? 0.995 : 0.004;
    assert.deepEqual(findMultiLabelIssues(given, predProbs).map((i) => [i.index, i.label, i.action]), [[57, 1, 'remove'], [12, 0, 'add']]);
  });

  it('ranks by the probability of the given decision, lowest first, under the default rule', () => {
    const { given, predProbs } = planted(80, 3, 40, 0.9, 0.01);
    const issues = findMultiLabelIssues(given, predProbs);
    assert.ok(issues.length >= 2);
    assert.deepEqual(issues.slice(0, 2).map((i) => [i.index, i.action]), [[40, 'remove'], [3, 'add']]);
    for (let r = 1; r < issues.length; r++) assert.ok(issues[r - 1].selfConfidence <= issues[r].selfConfidence);
  });

  it('skips a label no example carries (nothing to confuse it with)', () => {
    // Rows [given0, given1]: label 1 is given nowhere although the model likes it; label 0 is missing on row 3.
    const given = new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0]);
    const values = new Float64Array([0.9, 0.6, 0.1, 0.7, 0.8, 0.7, 0.85, 0.9]);
    const issues = findMultiLabelIssues(given, { values, numExamples: 4, numClasses: 2 }, { filterBy: 'predictedNeqGiven' });
    assert.deepEqual(issues.map((i) => [i.index, i.label, i.action]), [[3, 0, 'add']]);
  });

  it('refuses inputs that disagree in shape or are not 0/1 and probabilities, naming the place', () => {
    const predProbs = { values: new Float64Array([0.5, 0.5, 0.5, 0.5]), numExamples: 2, numClasses: 2 };
    assert.throws(() => findMultiLabelIssues(new Uint8Array(3), predProbs), /given must hold numExamples × numClasses = 4/);
    assert.throws(() => findMultiLabelIssues([0, 2, 0, 0], predProbs), /given\[0\]\[1\] must be 0 or 1, got 2/);
    assert.throws(() => findMultiLabelIssues([0, 0, 0, 0], { ...predProbs, values: [0.5, 1.5, 0.5, 0.5] }), /predProbs\[0\]\[1\] must be a probability/);
    assert.throws(() => findMultiLabelIssues([0, 0, 0, 0], { ...predProbs, values: [0.5, NaN, 0.5, 0.5] }), /predProbs\[0\]\[1\]/);
    assert.throws(() => findMultiLabelIssues([0, 0, 0, 0], predProbs, { fracNoise: 0 }), /fracNoise must be in \(0, 1\]/);
    assert.throws(() => findMultiLabelIssues([0, 0, 0, 0], predProbs, { filterBy: 'pruneByClass' as never }), /filterBy for multi-label data must be one of pruneByNoiseRate, confidentLearning, predictedNeqGiven, got pruneByClass/);
  });
});
