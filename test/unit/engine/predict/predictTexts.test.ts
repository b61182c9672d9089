import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictTexts } from '../../../../src/engine/predict/predictTexts';
import type { Predictor } from '../../../../src/engine/predict/predictor';

const predictor: Predictor = {
  labels: ['a', 'b', 'c'],
  kind: 'test',
  source: 'memory',
  predictProbs: async (texts) => Float32Array.from(texts.flatMap((t) => (t === 'sure' ? [0.1, 0.8, 0.1] : [0.4, 0.35, 0.25]))),
  dispose: () => undefined,
};

test('top-k is sorted by probability; the threshold yields UNCERTAIN', async () => {
  const [sure, unsure] = await predictTexts(predictor, ['sure', 'unsure'], { topK: 2, threshold: 0.5 });
  assert.equal(sure!.label, 'b');
  assert.deepEqual(sure!.top.map((t) => t.label), ['b', 'a']);
  assert.equal(unsure!.label, 'UNCERTAIN');
  assert.ok(Math.abs(unsure!.confidence - 0.4) < 1e-6);
  assert.equal(unsure!.probabilities.length, 3);
  const [all] = await predictTexts(predictor, ['unsure'], { topK: 10 });
  assert.equal(all!.top.length, 3);
  assert.equal(all!.label, 'a');
});
