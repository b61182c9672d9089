// Uncertainty scores: margin, entropy and least confidence for single-label rows, and the threshold form for multi-label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uncertaintyScores } from '../../../../src/engine/activeLearning/uncertainty';
import { EngineError } from '../../../../src/engine/errors';

const rows = Float32Array.from([
  0.9, 0.05, 0.05, // confident
  0.45, 0.45, 0.1, // torn between two
  1 / 3, 1 / 3, 1 / 3, // uniform
]);

test('margin is 1 − (p1 − p2): a tie between two classes scores highest, a confident row lowest', () => {
  const s = uncertaintyScores(rows, 3, { measure: 'margin' });
  assert.ok(Math.abs(s[0]! - 0.15) < 1e-6, `got ${s[0]}`);
  assert.ok(Math.abs(s[1]! - 1) < 1e-6);
  assert.ok(Math.abs(s[2]! - 1) < 1e-6);
});

test('entropy is normalised to [0, 1] and is highest for the uniform row; least confidence is 1 − p1', () => {
  const h = uncertaintyScores(rows, 3, { measure: 'entropy' });
  assert.ok(Math.abs(h[2]! - 1) < 1e-6);
  assert.ok(h[0]! < h[1]! && h[1]! < h[2]!);
  const expected = -(0.9 * Math.log(0.9) + 2 * 0.05 * Math.log(0.05)) / Math.log(3);
  assert.ok(Math.abs(h[0]! - expected) < 1e-6);
  const lc = uncertaintyScores(rows, 3, { measure: 'leastConfidence' });
  assert.ok(Math.abs(lc[0]! - 0.1) < 1e-6 && Math.abs(lc[1]! - 0.55) < 1e-6);
});

test('multi-label: the label closest to its threshold decides the margin score', () => {
  const probs = Float32Array.from([0.95, 0.02, 0.5, 0.02, 0.4, 0.98]);
  const s = uncertaintyScores(probs, 3, { thresholds: [0.5, 0.3, 0.5] });
  assert.ok(Math.abs(s[0]! - 1) < 1e-6, 'a label exactly on its threshold is as uncertain as it gets');
  assert.ok(Math.abs(s[1]! - (1 - 0.1 / 0.7)) < 1e-6, `got ${s[1]}`); // label 1: 0.4 against 0.3, scaled by max(0.3, 0.7)
  const h = uncertaintyScores(probs, 3, { thresholds: [0.5, 0.3, 0.5], measure: 'entropy' });
  assert.ok(h[0]! > h[1]!);
});

test('shapes that disagree are refused with an EngineError', () => {
  assert.throws(() => uncertaintyScores(Float32Array.from([0.5, 0.5, 0.2]), 2), EngineError);
  assert.throws(() => uncertaintyScores(Float32Array.from([0.5, 0.5]), 2, { thresholds: [0.5] }), /thresholds/);
  assert.throws(() => uncertaintyScores(Float32Array.from([1]), 1), /at least 2 classes/);
});
