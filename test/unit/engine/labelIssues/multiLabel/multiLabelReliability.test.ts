// The weak-judge rule on multi-label out-of-fold probabilities: figures computed by hand on four lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessMultiLabelReliability, noLabelSet } from '../../../../../src/engine/labelIssues/multiLabel/multiLabelReliability';
import { reliabilityBar } from '../../../../../src/engine/labelIssues/reliability';

// Labels a, b; lines [a], [a], [b], [a, b]: the most common set is [a] (2 of 4), a is on 3 lines, b on 2.
const labels = ['a', 'b'];
const given = [1, 0, 1, 0, 0, 1, 1, 1];
const entropy = (f: number) => -(f * Math.log(f) + (1 - f) * Math.log(1 - f));
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

test('a model that gets every line right with p = 0.9 is reliable: exact-set accuracy 1 against 0.5, summed binary cross-entropy against the frequencies', () => {
  const probs = given.map((g) => (g ? 0.9 : 0.1));
  const r = assessMultiLabelReliability(given, probs, labels, { folds: 2, model: 'ngram' });
  assert.equal(r.verdict, 'reliable');
  close(r.accuracy, 1, 'accuracy');
  close(r.baselineAccuracy, 0.5, 'baseline accuracy');
  assert.equal(r.majorityLabel, 'a');
  close(r.accuracyLift, 1, 'lift');
  close(r.logLoss, -2 * Math.log(0.9), 'log loss (two labels per line)');
  close(r.baselineLogLoss, entropy(0.75) + entropy(0.5), 'baseline log loss');
  close(r.logLossSkill, 1 + (2 * Math.log(0.9)) / (entropy(0.75) + entropy(0.5)), 'skill');
  assert.deepEqual(r.perClass.map((c) => [c.label, c.examples, c.recall, c.baselineRecall, c.judged]), [['a', 3, 1, 1, true], ['b', 2, 1, 0, true]]);
  close(r.perClass[1]!.logLoss, -Math.log(0.9), 'b log loss');
  close(r.perClass[1]!.baselineLogLoss, -Math.log(0.5), 'b baseline');
  assert.deepEqual(r.reasons, []);
  assert.deepEqual(r.bar, reliabilityBar);
});

test('a model that knows less than the label frequencies is weak, and says so against the most common set', () => {
  // p(a) = 0.7 and p(b) = 0.45 on every line (the frequencies are 0.75 and 0.5): it always answers [a].
  const probs = [0.7, 0.45, 0.7, 0.45, 0.7, 0.45, 0.7, 0.45];
  const r = assessMultiLabelReliability(given, probs, labels, { folds: 2, model: 'ngram' });
  assert.equal(r.verdict, 'weak');
  close(r.accuracy, 0.5, 'always [a], right on two lines');
  close(r.accuracyLift, 0, 'lift');
  close(r.logLoss, -(3 * Math.log(0.7) + Math.log(0.3) + 2 * Math.log(0.45) + 2 * Math.log(0.55)) / 4, 'log loss');
  assert.ok(r.logLossSkill < 0, `skill ${r.logLossSkill}`);
  assert.ok(r.perClass.every((c) => !c.judged), 'no label beats its frequency');
  assert.match(r.reasons[0]!, /exact-set accuracy \(50\.0%\) is close to always answering the most common label set \[a\] \(50\.0%\)/);
  assert.match(r.reasons[1]!, /no better than that of the label frequencies/);
  assert.match(r.reasons[2]!, /for "a" and "b" it predicts no better than the label frequencies, so its flags on lines given those labels are as likely its own mistakes/);
  assert.match(r.suggestions[0]!, /^label more lines: 4 lines is about 3 per label/);
  assert.match(r.suggestions[1]!, /pretrained encoder/);
});

test('labels on fewer lines than folds are named; lines without labels can be the most common set', () => {
  const sparse = [0, 0, 0, 0, 0, 0, 1, 1];
  const r = assessMultiLabelReliability(sparse, sparse.map((g) => (g ? 0.8 : 0.2)), labels, { folds: 3, model: 'bert' });
  assert.equal(r.majorityLabel, noLabelSet);
  close(r.baselineAccuracy, 0.75, 'three lines have no label');
  assert.deepEqual(r.smallClasses, [{ label: 'a', examples: 1 }, { label: 'b', examples: 1 }]);
  assert.ok(r.reasons.some((s) => /"a" and "b" have fewer examples than folds \(3\)/.test(s)), r.reasons.join(' | '));
});
