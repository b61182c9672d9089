import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetrics } from '../../../../src/engine/metrics/classificationMetrics';
import { labelWithThreshold, UNCERTAIN } from '../../../../src/engine/metrics/uncertainLabel';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);

test('hand-computed metrics with a class that is predicted but never present', () => {
  // gold a a b b; predicted a b b c.
  const probs = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4];
  const m = computeMetrics([0, 0, 1, 1], probs, ['a', 'b', 'c'], 'validation');
  assert.deepEqual(m.confusion, [[1, 1, 0], [0, 1, 1], [0, 0, 0]]);
  assert.equal(m.examples, 4);
  close(m.accuracy, 0.5, 'accuracy');
  const [a, b, c] = m.perClass;
  close(a!.precision, 1, 'P(a)'); close(a!.recall, 0.5, 'R(a)'); close(a!.f1, 2 / 3, 'F1(a)');
  close(b!.precision, 0.5, 'P(b)'); close(b!.recall, 0.5, 'R(b)'); close(b!.f1, 0.5, 'F1(b)');
  close(c!.precision, 0, 'P(c)'); close(c!.recall, 0, 'R(c)'); assert.equal(c!.support, 0);
  assert.deepEqual(m.perClass.map((p) => p.support), [2, 2, 0]);
  close(m.macroPrecision, 0.5, 'macro P');
  close(m.macroRecall, 1 / 3, 'macro R');
  close(m.macroF1, 7 / 18, 'macro F1');
  close(m.weightedPrecision, 0.75, 'weighted P');
  close(m.weightedRecall, 0.5, 'weighted R');
  close(m.weightedF1, 7 / 12, 'weighted F1');
  close(m.loss, -(Math.log(0.7) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3)) / 4, 'loss');
  // Every confidence lands in its own bin: ECE = mean |correct - confidence|.
  close(m.ece, (0.3 + 0.5 + 0.2 + 0.4) / 4, 'ece');
});

test('a class that is present but never predicted has precision 0 and recall 0', () => {
  const m = computeMetrics([0, 1, 1], [0.9, 0.1, 0.6, 0.4, 0.8, 0.2], ['x', 'y'], 'test');
  assert.deepEqual(m.confusion, [[1, 0], [2, 0]]);
  close(m.perClass[1]!.precision, 0, 'P(y)');
  close(m.perClass[1]!.recall, 0, 'R(y)');
  close(m.perClass[0]!.precision, 1 / 3, 'P(x)');
  close(m.weightedRecall, 1 / 3, 'weighted R equals accuracy');
});

test('ECE averages within a bin before taking the gap', () => {
  // Both confidences fall in the bin (13/15, 14/15]: accuracy 0.5, mean confidence 0.905.
  const m = computeMetrics([0, 1], [0.9, 0.1, 0.91, 0.09], ['x', 'y'], 'test');
  close(m.ece, 0.405, 'ece');
});

test('bad shapes and out-of-range gold ids throw', () => {
  assert.throws(() => computeMetrics([0], [0.5], ['x', 'y'], 'test'), /expected 1 × 2/);
  assert.throws(() => computeMetrics([2], [0.5, 0.5], ['x', 'y'], 'test'), /not in \[0, 2\)/);
});

test('empty split gives zeros, not NaN', () => {
  const m = computeMetrics([], [], ['x', 'y'], 'test');
  assert.equal(m.accuracy, 0);
  assert.equal(m.loss, 0);
  assert.equal(m.ece, 0);
});

test('threshold turns low-confidence predictions into UNCERTAIN', () => {
  assert.equal(labelWithThreshold([0.2, 0.5, 0.3], ['a', 'b', 'c'], 0.6), UNCERTAIN);
  assert.equal(labelWithThreshold([0.2, 0.5, 0.3], ['a', 'b', 'c'], 0.5), 'b');
  assert.equal(labelWithThreshold([0.2, 0.5, 0.3], ['a', 'b', 'c']), 'b');
});
