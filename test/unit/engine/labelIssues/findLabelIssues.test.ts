// findLabelIssues, confident joint and scores on small hand-made probability matrices with known answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLabelIssues, type FilterBy } from '../../../../src/engine/labelIssues/findIssues';
import { computeConfidentJoint } from '../../../../src/engine/labelIssues/confidentJoint';
import { computeLabelQualityScores } from '../../../../src/engine/labelIssues/scores';
import { EngineError } from '../../../../src/engine/errors';

const matrix = (rows: number[][]) => ({ values: rows.flat(), numExamples: rows.length, numClasses: rows[0].length });

// Three classes. Example 2 is labelled 0 but confidently 1; example 6 labelled 1 but confidently 2;
// example 10 disagrees with its label only weakly (argmax 0 at p=.4, below t0), so only the loose rule flags it.
const labels3 = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
const probs3 = matrix([
  [0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1],
  [0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.05, 0.15, 0.8], [0.1, 0.9, 0.0],
  [0.1, 0.1, 0.8], [0.1, 0.2, 0.7], [0.4, 0.3, 0.3], [0.0, 0.1, 0.9],
]);

test('thresholds are per-class mean self-confidence and the joint counts confident classes', () => {
  const joint = computeConfidentJoint(labels3, probs3);
  assert.deepEqual([...joint.thresholds].map((t) => +t.toFixed(4)), [0.55, 0.6375, 0.675]);
  assert.deepEqual([...joint.counts], [3, 1, 0, 0, 3, 1, 0, 0, 3]);
  assert.equal(joint.confidentClass[10], -1, 'no class reaches its threshold for example 10');
  // Row 2 has 3 confident examples of 4 labelled: calibration scales it to 4.
  assert.deepEqual([...joint.calibrated], [3, 1, 0, 0, 3, 1, 0, 0, 4]);
});

for (const filterBy of ['both', 'pruneByNoiseRate', 'pruneByClass', 'confidentLearning'] as FilterBy[]) {
  test(`filterBy ${filterBy} flags exactly the two confident errors, lowest self-confidence first`, () => {
    const issues = findLabelIssues(labels3, probs3, { filterBy, fracNoise: 1 });
    assert.deepEqual(issues.map((x) => x.index), [2, 6]);
    assert.deepEqual(issues.map((x) => [x.givenId, x.suggestedId]), [[0, 1], [1, 2]]);
    assert.deepEqual(issues.map((x) => x.selfConfidence), [0.1, 0.15]);
    assert.deepEqual(issues.map((x) => x.suggestedProb), [0.8, 0.8]);
  });
}

test('predictedNeqGiven also flags the weak disagreement, with the best other class suggested', () => {
  const issues = findLabelIssues(labels3, probs3, { filterBy: 'predictedNeqGiven' });
  assert.deepEqual(issues.map((x) => x.index), [2, 6, 10]);
  assert.equal(issues[2].suggestedId, 0);
});

test('the default is belowChance at 0.3 / K, ranked by self-confidence', () => {
  assert.deepEqual(findLabelIssues(labels3, probs3), findLabelIssues(labels3, probs3, { filterBy: 'belowChance', rankBy: 'selfConfidence', chanceFraction: 0.3 }));
});

test('belowChance flags p(given) < chanceFraction / K, whatever the counts say', () => {
  // K = 3: the cut at 0.3 is 0.1, so p = 0.0001 and 0.05 are flagged, p = 0.1 is not (strictly below); ties by index.
  const labels = [0, 0, 1, 1, 2, 2];
  const probs = matrix([[0.05, 0.9, 0.05], [0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.0999, 0.0001, 0.9], [0.5, 0.45, 0.05], [0.1, 0.1, 0.8]]);
  assert.deepEqual(findLabelIssues(labels, probs).map((x) => [x.index, x.suggestedId]), [[3, 2], [0, 1], [4, 0]]);
  assert.deepEqual(findLabelIssues(labels, probs, { chanceFraction: 0.3 }).map((x) => x.index), [3, 0, 4]);
  // A larger fraction also reaches example 2 (p = 0.1 < 0.6 / 3); minExamplesPerClass 0 lets class 1 lose both lines.
  assert.deepEqual(findLabelIssues(labels, probs, { chanceFraction: 0.6, minExamplesPerClass: 0 }).map((x) => x.index), [3, 0, 4, 2]);
  assert.throws(() => findLabelIssues(labels, probs, { chanceFraction: 0 }), /chanceFraction must be in \(0, 1\], got 0/);
  assert.throws(() => findLabelIssues(labels, probs, { chanceFraction: 1.5 }), /chanceFraction must be in \(0, 1\], got 1.5/);
});

test('fracNoise flags that share of the estimated errors per class, most suspicious first', () => {
  // Class 0: 6 examples, 2 of the 4 confident ones are confidently class 1, so the calibrated estimate is 3 errors.
  const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  const probs = matrix([
    [0.9, 0.1], [0.95, 0.05], [0.1, 0.9], [0.2, 0.8], [0.05, 0.95], [0.3, 0.7],
    [0.1, 0.9], [0.05, 0.95], [0.2, 0.8], [0.15, 0.85],
  ]);
  const filterBy = 'pruneByClass';
  assert.deepEqual(findLabelIssues(labels, probs, { filterBy, fracNoise: 1 }).map((x) => x.index), [4, 2, 3]);
  assert.deepEqual(findLabelIssues(labels, probs, { filterBy, fracNoise: 0.5 }).map((x) => x.index), [4, 2]);
  assert.deepEqual(findLabelIssues(labels, probs, { filterBy, fracNoise: 0.25 }).map((x) => x.index), [4]);
  assert.throws(() => findLabelIssues(labels, probs, { fracNoise: 0 }), /fracNoise must be in \(0, 1\], got 0/);
  assert.throws(() => findLabelIssues(labels, probs, { filterBy: 'nope' as FilterBy }), /filterBy must be one of belowChance, pruneByClass, /);
});

test('normalizedMargin ranks by p_given − max other, mapped to [0, 1]', () => {
  const scores = computeLabelQualityScores(labels3, probs3, 'normalizedMargin');
  assert.ok(Math.abs(scores[2] - (0.1 - 0.8 + 1) / 2) < 1e-12);
  assert.ok(Math.abs(scores[6] - (0.15 - 0.8 + 1) / 2) < 1e-12);
  const issues = findLabelIssues(labels3, probs3, { filterBy: 'pruneByClass', rankBy: 'normalizedMargin' });
  assert.deepEqual(issues.map((x) => x.index), [2, 6]);
});

test('an example the model agrees with is never flagged; clean data gives no issues', () => {
  const labels = [0, 0, 1, 1];
  const probs = matrix([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.45, 0.55]]);
  for (const filterBy of ['belowChance', 'both', 'pruneByNoiseRate', 'pruneByClass', 'confidentLearning', 'predictedNeqGiven'] as FilterBy[]) {
    assert.deepEqual(findLabelIssues(labels, probs, { filterBy }), [], filterBy);
  }
});

test('minExamplesPerClass keeps the least suspicious members of a class', () => {
  // Both examples labelled 1 are confidently 0; with min 1 only the more suspicious one is flagged.
  const labels = [0, 0, 0, 1, 1];
  const probs = matrix([[0.9, 0.1], [0.8, 0.2], [0.9, 0.1], [0.95, 0.05], [0.9, 0.1]]);
  assert.deepEqual(findLabelIssues(labels, probs, { filterBy: 'confidentLearning', minExamplesPerClass: 0 }).map((x) => x.index), [3, 4]);
  assert.deepEqual(findLabelIssues(labels, probs, { filterBy: 'confidentLearning', minExamplesPerClass: 1 }).map((x) => x.index), [3]);
});

test('bad inputs throw EngineError naming the field', () => {
  const throwsWith = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof EngineError && pattern.test(e.message));
  throwsWith(() => findLabelIssues([0, 1], matrix([[1, 0]])), /labelIds must have one id per example \(1\), got 2/);
  throwsWith(() => findLabelIssues([0, 2], matrix([[1, 0], [0, 1]])), /labelIds\[1\] must be an integer in \[0, 2\), got 2/);
  throwsWith(() => findLabelIssues([0, 1], matrix([[0.5, 0.2], [0, 1]])), /row 0 must sum to 1, got 0.7000/);
  throwsWith(() => findLabelIssues([0, 1], matrix([[NaN, 1], [0, 1]])), /predProbs\[0\]\[0\] must be a probability/);
  throwsWith(() => findLabelIssues([0], { values: [1, 0, 0], numExamples: 1, numClasses: 2 }), /must hold numExamples × numClasses = 2 numbers, got 3/);
  throwsWith(() => findLabelIssues([0], matrix([[1]])), /numClasses must be an integer ≥ 2, got 1/);
});
