// Temperature scaling, the reliability diagram and the coverage–accuracy curve on small hand-made inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTemperature, buildCalibrationReport, chooseClassThresholds, chooseThreshold, classCoverageCurves, coverageAccuracyCurve, fitTemperature, meanNll, reliabilityDiagram } from '../../../../src/engine/metrics/calibration';
import { computeMetrics } from '../../../../src/engine/metrics/classificationMetrics';
import { mulberry32 } from '../../../../src/engine/seededRandom';

/** Over-confident synthetic model: true p(correct) = 0.7, but it says 0.97 on its top class (K = 3). */
function overconfident(n: number, seed = 1) {
  const random = mulberry32(seed);
  const probs = new Float32Array(n * 3);
  const gold = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const top = Math.floor(random() * 3);
    probs.set([0.015, 0.015, 0.015], i * 3);
    probs[i * 3 + top] = 0.97;
    gold[i] = random() < 0.7 ? top : (top + 1 + Math.floor(random() * 2)) % 3;
  }
  return { probs, gold };
}

test('applyTemperature is softmax(log p / T): T = 1 keeps p, T → large flattens, order is kept', () => {
  const p = [0.7, 0.2, 0.1];
  assert.deepEqual([...applyTemperature(p, 3, 1)].map((v) => +v.toFixed(6)), [0.7, 0.2, 0.1]);
  const soft = applyTemperature(p, 3, 2);
  // p^(1/2) normalised: sqrt(.7), sqrt(.2), sqrt(.1) over their sum.
  const s = Math.sqrt(0.7) + Math.sqrt(0.2) + Math.sqrt(0.1);
  assert.ok(Math.abs(soft[0] - Math.sqrt(0.7) / s) < 1e-6);
  assert.ok(soft[0] > soft[1] && soft[1] > soft[2] && soft[0] < 0.7);
  // Per class: only class 2's temperature differs.
  const perClass = applyTemperature(p, 3, [1, 1, 0.5]);
  const z = 0.7 + 0.2 + 0.01;
  assert.ok(Math.abs(perClass[2] - 0.01 / z) < 1e-6);
});

test('fitTemperature softens an over-confident model and lowers its NLL and ECE', () => {
  const { probs, gold } = overconfident(2000);
  const scaling = fitTemperature(probs, gold, 3);
  assert.ok(scaling.temperature > 1.5, `T = ${scaling.temperature}`);
  assert.ok(scaling.nllAfter < scaling.nllBefore);
  const calibrated = applyTemperature(probs, 3, scaling.temperature);
  assert.ok(Math.abs(scaling.nllAfter - meanNll(calibrated, gold, 3)) < 1e-9);
  // The optimum: the top probability becomes ≈ the true accuracy 0.7.
  assert.ok(Math.abs(Math.max(...calibrated.subarray(0, 3)) - 0.7) < 0.03);
  assert.ok(computeMetrics(gold, calibrated, ['a', 'b', 'c'], 'test').ece < computeMetrics(gold, probs, ['a', 'b', 'c'], 'test').ece / 3);
});

test('fitTemperature keeps T = 1 for a calibrated model, and per class fits one T per class', () => {
  // Perfectly calibrated: p(top) = 0.5 and half of them right.
  const probs = new Float32Array([0.5, 0.25, 0.25, 0.5, 0.25, 0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.25]);
  const gold = new Int32Array([0, 1, 1, 2]);
  const scaling = fitTemperature(probs, gold, 3);
  assert.ok(Math.abs(scaling.temperature - 1) < 0.05, `T = ${scaling.temperature}`);
  const { probs: p2, gold: g2 } = overconfident(600, 3);
  const perClass = fitTemperature(p2, g2, 3, { perClass: true });
  assert.equal(perClass.perClass?.length, 3);
  assert.ok(perClass.nllAfter <= fitTemperature(p2, g2, 3).nllAfter + 1e-9, 'per class is at least as good as one T on the fitted split');
  assert.throws(() => fitTemperature([], [], 3), /needs N × K probabilities/);
});

test('reliabilityDiagram: 15 bins with counts, and its ECE equals computeMetrics\' ECE', () => {
  const { probs, gold } = overconfident(500, 2);
  const { bins, ece } = reliabilityDiagram(probs, gold, 3);
  assert.equal(bins.length, 15);
  assert.equal(bins.reduce((n, b) => n + b.count, 0), 500);
  const full = bins.filter((b) => b.count > 0);
  assert.equal(full.length, 1, 'every top probability is 0.97');
  assert.ok(full[0].lower < 0.97 && 0.97 <= full[0].upper);
  assert.ok(Math.abs(ece - computeMetrics(gold, probs, ['a', 'b', 'c'], 'test').ece) < 1e-12);
});

test('coverage–accuracy curve and the threshold for a target accuracy or coverage', () => {
  // Confidences 0.9 (right), 0.8 (right), 0.7 (wrong), 0.6 (right): K = 2.
  const probs = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4];
  const gold = [0, 0, 1, 0];
  const curve = coverageAccuracyCurve(probs, gold, 2);
  assert.deepEqual(curve.map((p) => [p.threshold, p.coverage, +p.accuracy.toFixed(4)]), [[0.9, 0.25, 1], [0.8, 0.5, 1], [0.7, 0.75, 0.6667], [0.6, 1, 0.75]]);
  assert.equal(chooseThreshold(curve, { targetAccuracy: 0.95 })?.coverage, 0.5);
  assert.equal(chooseThreshold(curve, { targetAccuracy: 0.7 })?.coverage, 1, 'the most answers that still meet the target');
  assert.equal(chooseThreshold(curve, { targetCoverage: 0.6 })?.threshold, 0.7);
  assert.equal(chooseThreshold(coverageAccuracyCurve([0.6, 0.4], [1], 2), { targetAccuracy: 0.5 }), undefined);
});

test('per-class curves and thresholds: each predicted class keeps the target on its own answers', () => {
  // K = 3. Class 0 predicted at 0.9 (right), 0.8 (right), 0.5 (wrong); class 1 at 0.95 (wrong), 0.7 (right),
  // 0.6 (right); class 2 never predicted.
  const rows = [[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.5, 0.3, 0.2], [0.03, 0.95, 0.02], [0.2, 0.7, 0.1], [0.3, 0.6, 0.1]];
  const gold = [0, 0, 1, 0, 1, 1];
  const curves = classCoverageCurves(rows.flat(), gold, 3);
  assert.deepEqual(curves.map((c) => c.predicted), [3, 3, 0]);
  assert.deepEqual(curves[0]!.points, [{ threshold: 0.9, answered: 1, correct: 1 }, { threshold: 0.8, answered: 2, correct: 2 }, { threshold: 0.5, answered: 3, correct: 2 }]);
  assert.deepEqual(curves[1]!.points, [{ threshold: 0.95, answered: 1, correct: 0 }, { threshold: 0.7, answered: 2, correct: 1 }, { threshold: 0.6, answered: 3, correct: 2 }]);
  // Accuracy 0.65: class 0 answers down to 0.5 (2/3 ≥ 0.65), class 1 too (2/3); class 2 falls back to 0.75.
  const loose = chooseClassThresholds(curves, { targetAccuracy: 0.65 }, 0.75)!;
  assert.deepEqual(loose.thresholds, [0.5, 0.6, 0.75]);
  assert.equal(loose.coverage, 1);
  // Accuracy 0.9: class 0 stops at 0.8 (2/2); class 1 never reaches it, so it answers only at probability 1.
  const strict = chooseClassThresholds(curves, { targetAccuracy: 0.9 }, 0.75)!;
  assert.deepEqual(strict.thresholds, [0.8, 1, 0.75]);
  assert.deepEqual([strict.coverage, strict.accuracy], [2 / 6, 1]);
  // Coverage 0.5 per class: the highest threshold answering at least half of each class's predictions.
  assert.deepEqual(chooseClassThresholds(curves, { targetCoverage: 0.5 }, 0.75)!.thresholds, [0.8, 0.7, 0.75]);
  assert.equal(chooseClassThresholds([curves[1]!], { targetAccuracy: 0.99 }, 0.5), undefined, 'nothing answered');
});

test('buildCalibrationReport fits on validation only and reports ECE before/after on test', () => {
  const validation = overconfident(800, 4);
  const testSplit = overconfident(800, 5);
  const report = buildCalibrationReport({ probs: validation.probs, goldIds: validation.gold }, { probs: testSplit.probs, goldIds: testSplit.gold }, 3);
  assert.ok(report.test!.eceAfter < report.test!.eceBefore);
  assert.equal(report.test!.binsBefore.length, 15);
  assert.equal(report.validation.examples, 800);
  assert.ok(report.coverage.length > 0 && report.coverage[report.coverage.length - 1].coverage === 1);
  assert.deepEqual(report.scaling, fitTemperature(validation.probs, validation.gold, 3));
});

test('buildCalibrationReport declines a temperature that would raise the validation ECE', () => {
  // Near-uniform, already calibrated probabilities whose NLL optimum sharpens them: every row says 0.36 for its top
  // class and is right 36 % of the time, but the right rows are also the ones the model leans to more.
  const n = 500;
  const probs = new Float32Array(n * 3);
  const gold = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const right = i % 25 < 9; // 36 %
    probs.set(right ? [0.36, 0.33, 0.31] : [0.36, 0.32, 0.32], i * 3);
    gold[i] = right ? 0 : 1 + (i % 2);
  }
  const fitted = fitTemperature(probs, gold, 3);
  const report = buildCalibrationReport({ probs, goldIds: gold }, null, 3);
  if (reliabilityDiagram(applyTemperature(probs, 3, fitted.temperature), gold, 3).ece > reliabilityDiagram(probs, gold, 3).ece) {
    assert.equal(report.scaling.temperature, 1);
    assert.equal(report.scaling.declined?.temperature, fitted.temperature);
    assert.equal(report.validation.eceAfter, report.validation.eceBefore);
  } else {
    assert.fail(`the fixture should make the NLL-optimal T (${fitted.temperature}) raise the ECE`);
  }
});
